/** One model in full, for its page and `GET /api/models/{model_id}`. */
import type { Store } from "../db/store.ts";
import { rangeStatsOfModel } from "./ranges.ts";
import { iso, isoOrNull } from "./sql.ts";
import { modelSummary } from "./summaries.ts";
import { type ModelDetail, type Range, RANGES, type RangeStats } from "./types.ts";

/** Catalog events listed with a model. */
export const DETAIL_EVENTS = 50;

/** Null when neither the catalog nor any check knows the model. */
export async function modelDetail(
  store: Store,
  id: string,
  now: number,
): Promise<ModelDetail | null> {
  const summary = await modelSummary(store, id, now);
  if (summary === null) return null;
  const [model, events, stats] = await Promise.all([
    store.getModel(id),
    store.listEvents({ modelId: id, limit: DETAIL_EVENTS }),
    rangeStatsOfModel(store, id, RANGES, now),
  ]);
  const range_stats = Object.fromEntries(RANGES.map((r, i) => [r, stats[i]])) as Record<
    Range,
    RangeStats
  >;
  return {
    ...summary,
    description: model?.description ?? null,
    input_modalities: model?.input_modalities ?? [],
    output_modalities: model?.output_modalities ?? [],
    supported_parameters: model?.supported_parameters ?? [],
    reasoning: model?.reasoning ?? null,
    created: model?.created == null ? null : iso(model.created * 1000),
    first_seen_at: model ? iso(model.first_seen_at) : null,
    last_seen_at: model ? iso(model.last_seen_at) : null,
    removed_at: isoOrNull(model?.removed_at ?? null),
    range_stats,
    events: events.map((e) => ({
      kind: e.kind,
      at: iso(e.at),
      run_id: e.run_id,
      detail: e.detail ?? null,
    })),
  };
}
