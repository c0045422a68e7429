/**
 * GET /api/recommend and the dashboard's card: the best free models now, from the stored
 * checks (lib/stats) and the catalog, with a ready-to-paste OpenRouter fallback list.
 */
import type { Store } from "../db/store.ts";
import { emptyRangeStats, modelSummaries, rangeStatsByModel } from "../stats/mod.ts";
import { capabilitiesByModel } from "../stats/capabilities.ts";
import {
  type Excluded,
  rankCandidates,
  type Recommendation,
  type RecommendCriteria,
} from "./rank.ts";

export type { Excluded, Recommendation, RecommendCriteria } from "./rank.ts";
export { wilsonLowerBound } from "./wilson.ts";

export const RECOMMEND_WINDOW = "24h";

export interface RecommendResult {
  generated_at: string;
  window: typeof RECOMMEND_WINDOW;
  criteria: { min_context: number | null; tools: boolean; modality: string[]; limit: number };
  /** How the ranking works, in one sentence. */
  method: string;
  /** Free models in the catalog now. */
  considered: number;
  /** Models that qualified, before `limit`. */
  eligible: number;
  excluded: Excluded;
  models: Recommendation[];
  /** The ranked ids: OpenRouter's `models` parameter tries them in this order. */
  fallback_models: string[];
  /** `"models": [...]`, ready to paste into a chat completion request body. */
  snippet: string;
}

export const METHOD = "Working free models (the latest check answered correctly) ranked by the " +
  "Wilson lower bound of their success rate over 24 h, which respects how many checks there " +
  "were, then by median latency. Routers are left out. When tools or image input is asked " +
  "for, a model Scouter's checks found without it is left out and one verified to have it " +
  "ranks before those the catalog only claims it for.";

export async function recommend(
  store: Store,
  criteria: RecommendCriteria,
  now: number,
): Promise<RecommendResult> {
  const [summaries, stats, models, caps] = await Promise.all([
    modelSummaries(store, now),
    rangeStatsByModel(store, RECOMMEND_WINDOW, now),
    store.listModels({ presentOnly: true }),
    capabilitiesByModel(store.client),
  ]);
  const facts = new Map(models.map((m) => [m.id, m]));
  const ranking = rankCandidates(
    summaries.map((s) => ({
      summary: s,
      stats: stats.get(s.model_id) ?? emptyRangeStats(RECOMMEND_WINDOW),
      supportedParameters: facts.get(s.model_id)?.supported_parameters ?? [],
      inputModalities: facts.get(s.model_id)?.input_modalities ?? [],
      capabilities: caps.get(s.model_id),
    })),
    criteria,
    now,
  );
  const ids = ranking.models.map((m) => m.model_id);
  return {
    generated_at: new Date(now).toISOString(),
    window: RECOMMEND_WINDOW,
    criteria: {
      min_context: criteria.minContext,
      tools: criteria.tools,
      modality: criteria.modalities,
      limit: criteria.limit,
    },
    method: METHOD,
    considered: summaries.filter((s) => s.present).length,
    eligible: ranking.eligible,
    excluded: ranking.excluded,
    models: ranking.models,
    fallback_models: ids,
    snippet: fallbackSnippet(ids),
  };
}

/** `"models": ["a", "b"]`: the JSON fragment for a request body. */
export function fallbackSnippet(ids: readonly string[]): string {
  return `"models": ${JSON.stringify(ids)}`;
}
