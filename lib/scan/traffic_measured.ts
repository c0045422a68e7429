/**
 * Traffic saves quota: a model that routed traffic (the /v1 router) measured recently needs no
 * probe this round. Its traffic check is its measurement, so no `skipped` check is written for
 * it (that would show a grey "not measured" where there is a measurement); the scan says so in
 * its log, its outcome (`scan --json` `traffic_measured`) and its run (`runs.traffic_measured`).
 */
import type { TrafficMeasurement } from "../db/router.ts";
import type { CatalogModel } from "../openrouter/types.ts";

export type { TrafficMeasurement } from "../db/router.ts";

export interface TrafficSplit {
  /** The models this scan probes. */
  probe: CatalogModel[];
  /** The selected models traffic measured recently, by id: not probed. */
  measured: TrafficMeasurement[];
}

/**
 * Splits the scan's selection: models with a recent telling traffic check are not probed,
 * except those named explicitly (`scan --model X`), which are always probed.
 */
export function splitTrafficMeasured(
  selected: readonly CatalogModel[],
  recent: readonly TrafficMeasurement[],
  alwaysProbe: ReadonlySet<string> = new Set(),
): TrafficSplit {
  const byId = new Map(recent.map((m) => [m.model_id, m]));
  const probe: CatalogModel[] = [];
  const measured: TrafficMeasurement[] = [];
  for (const model of selected) {
    const m = alwaysProbe.has(model.id) ? undefined : byId.get(model.id);
    if (m) measured.push(m);
    else probe.push(model);
  }
  return { probe, measured };
}

/** "3 models measured by routed traffic in the last 30 min: not probed (a, b, c)". */
export function trafficMeasuredLine(measured: readonly TrafficMeasurement[], minutes: number) {
  const n = measured.length;
  const shown = measured.slice(0, 5).map((m) => m.model_id).join(", ");
  const more = n > 5 ? `, … ${n - 5} more` : "";
  return `${n} model${n === 1 ? "" : "s"} measured by routed traffic in the last ` +
    `${formatMinutes(minutes)}: not probed (${shown}${more})`;
}

function formatMinutes(minutes: number): string {
  return minutes % 60 === 0 && minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`;
}
