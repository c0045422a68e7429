/**
 * The log lines of a catalog sync: what changed, summarised. The first sync of a database (every
 * listed model is new to it) is one line; later syncs name up to LISTED ids per kind, then
 * "… and N more", so a thousand-model catalog never floods the log.
 */
import type { CatalogDiff } from "../db/store.ts";

/** How many ids of one kind a line names before it says "… and N more". */
export const LISTED = 10;

export function catalogLines(diff: CatalogDiff, listed: number): string[] {
  if (
    diff.added.length > 0 && diff.added.length === listed && diff.removed.length === 0 &&
    diff.returned.length === 0
  ) {
    return [`catalog: ${count(listed)} free ${listed === 1 ? "model" : "models"}`];
  }
  return [
    ...lines("new free model", diff.added),
    ...lines("free model back", diff.returned),
    ...lines("free model gone", diff.removed),
  ];
}

function lines(what: string, ids: readonly string[]): string[] {
  const out = ids.slice(0, LISTED).map((id) => `${what}: ${id}`);
  if (ids.length > LISTED) out.push(`… and ${count(ids.length - LISTED)} more (${what})`);
  return out;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
