/**
 * The log lines of a pass's alert events, oldest first, one line each (titles are untrusted:
 * no line breaks) — except catalog news: a sync that brings 300 new free models logs the first
 * LISTED of each kind and "… and N more". Every event is still recorded and delivered.
 */
import type { AlertEvent, AlertKind } from "../domain/alerts.ts";

const LISTED = 10;
const CATALOG_KINDS: ReadonlySet<AlertKind> = new Set(["model_added", "model_removed"]);

export function alertLogLines(events: readonly AlertEvent[]): string[] {
  const lines: string[] = [];
  const shown = new Map<AlertKind, number>();
  const more = new Map<AlertKind, number>();
  for (const e of [...events].sort((a, b) => a.at - b.at || a.id - b.id)) {
    if (CATALOG_KINDS.has(e.kind)) {
      const n = shown.get(e.kind) ?? 0;
      if (n >= LISTED) {
        more.set(e.kind, (more.get(e.kind) ?? 0) + 1);
        continue;
      }
      shown.set(e.kind, n + 1);
    }
    lines.push(`alert: ${oneLine(e.title)} (${e.kind})`);
  }
  for (const [kind, n] of more) {
    lines.push(`alert: … and ${n.toLocaleString("en-US")} more (${kind})`);
  }
  return lines;
}

function oneLine(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").slice(0, 300);
}
