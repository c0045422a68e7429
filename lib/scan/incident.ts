/**
 * An OpenRouter incident: most models of one scan failing the same way at once (the same 5xx,
 * or 401 while the key is fine) is OpenRouter's trouble, not every model being down.
 */
import type { CheckResult } from "../domain/check.ts";

/** At least this many measured models, and this share of them failing alike. */
export const INCIDENT_MIN_MODELS = 4;
export const INCIDENT_SHARE = 0.6;

export interface Incident {
  /** One sentence for the run (`runs.incident`, /api/runs, the runs page). */
  text: string;
  /** The checks that are OpenRouter's fault. */
  modelIds: string[];
}

export function detectIncident(results: readonly CheckResult[]): Incident | null {
  const measured = results.filter((r) => r.status !== "skipped");
  if (measured.length < INCIDENT_MIN_MODELS) return null;
  const groups = new Map<number, CheckResult[]>();
  for (const r of measured) {
    const http = r.http_status;
    if (r.status === "ok" || http === null || !(http >= 500 || http === 401)) continue;
    groups.set(http, [...(groups.get(http) ?? []), r]);
  }
  let worst: [number, CheckResult[]] | null = null;
  for (const entry of groups) if (!worst || entry[1].length > worst[1].length) worst = entry;
  if (!worst || worst[1].length < INCIDENT_SHARE * measured.length) return null;
  const [http, failed] = worst;
  return {
    text: `OpenRouter incident: ${failed.length} of ${measured.length} models failed with ` +
      `HTTP ${http} at once`,
    modelIds: failed.map((r) => r.model_id),
  };
}
