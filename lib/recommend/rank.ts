/**
 * "Best free model now": the working free models that fit the caller's needs, ranked by the
 * Wilson lower bound of their recent success (24 h), then by median latency. Pure: the inputs
 * come from lib/recommend/mod.ts.
 *
 * Verified capabilities (lib/stats/capabilities.ts) win over the catalog's claims when the
 * criteria need one (`tools`; `image` among the modalities needs `vision`): a model a check
 * found without it is left out (counted in `filtered`) even if the catalog claims it; one
 * verified to have it ranks before the models that only claim it (then score, then latency).
 */
import type { ModelSummary, RangeStats } from "../stats/types.ts";
import type { Capabilities } from "../stats/capabilities.ts";
import type { Capability } from "../domain/capability.ts";
import { wilsonLowerBound } from "./wilson.ts";
import { plural } from "../../islands/format.ts";

export interface RecommendCriteria {
  /** Least context length, in tokens. */
  minContext: number | null;
  /** Only models whose catalog lists the `tools` parameter. */
  tools: boolean;
  /** Input modalities the model must accept (e.g. `image`); empty: any. */
  modalities: string[];
  limit: number;
}

export interface Candidate {
  summary: ModelSummary;
  /** Over 24 h. */
  stats: RangeStats;
  supportedParameters: string[];
  inputModalities: string[];
  /** The claims and the verdicts of the capability checks; absent: the claims alone. */
  capabilities?: Capabilities;
}

export interface Recommendation {
  rank: number;
  model_id: string;
  name: string;
  /** Wilson lower bound of the 24 h success rate, 0–1. */
  score: number;
  uptime_24h: number | null;
  checks_24h: number;
  ok_24h: number;
  p50_latency_ms: number | null;
  p50_ttft_ms: number | null;
  context_length: number | null;
  supports_tools: boolean;
  input_modalities: string[];
  health: ModelSummary["health"];
  latest_checked_at: string | null;
  /** Why it ranks here, in one sentence. */
  why: string;
}

export interface Excluded {
  /** Routers (`openrouter/…`) pick a model per request: not a model to rely on. */
  routers: number;
  /** Do not match min_context, tools or modality. */
  filtered: number;
  /** No measured check in the last 24 h. */
  not_measured: number;
  /** The latest check failed. */
  not_working: number;
}

export interface Ranking {
  models: Recommendation[];
  /** Models that qualified (before `limit`). */
  eligible: number;
  excluded: Excluded;
}

export function rankCandidates(
  candidates: readonly Candidate[],
  c: RecommendCriteria,
  now: number,
) {
  const excluded: Excluded = { routers: 0, filtered: 0, not_measured: 0, not_working: 0 };
  const scored: { cand: Candidate; score: number; verified: boolean }[] = [];
  const needed = neededCapabilities(c);
  for (const cand of candidates) {
    const s = cand.summary;
    if (!s.present) continue;
    if (s.is_router) {
      excluded.routers++;
    } else if (!matches(cand, c)) {
      excluded.filtered++;
    } else if (cand.stats.checks === 0) {
      excluded.not_measured++;
    } else if (s.latest_category !== "ok") {
      excluded.not_working++;
    } else {
      scored.push({
        cand,
        score: wilsonLowerBound(cand.stats.ok, cand.stats.checks),
        verified: needed.every((n) => cand.capabilities?.[n].verified === true),
      });
    }
  }
  scored.sort((a, b) =>
    Number(b.verified) - Number(a.verified) ||
    b.score - a.score ||
    (a.cand.stats.p50_latency_ms ?? Infinity) - (b.cand.stats.p50_latency_ms ?? Infinity) ||
    (a.cand.summary.model_id < b.cand.summary.model_id ? -1 : 1)
  );
  const models = scored.slice(0, c.limit).map(({ cand, score }, i): Recommendation => {
    const s = cand.summary;
    const st = cand.stats;
    return {
      rank: i + 1,
      model_id: s.model_id,
      name: s.name,
      score: Math.round(score * 1000) / 1000,
      uptime_24h: st.uptime,
      checks_24h: st.checks,
      ok_24h: st.ok,
      p50_latency_ms: st.p50_latency_ms,
      p50_ttft_ms: st.p50_ttft_ms,
      context_length: s.context_length,
      supports_tools: hasCapability(cand, "tools"),
      input_modalities: cand.inputModalities,
      health: s.health,
      latest_checked_at: s.latest_checked_at,
      why: why(st, score, s.latest_checked_at, now, verifiedNote(cand, needed)),
    };
  });
  return { models, eligible: scored.length, excluded } satisfies Ranking;
}

/** The capabilities whose verdicts decide these criteria. */
export function neededCapabilities(c: RecommendCriteria): Capability[] {
  const out: Capability[] = [];
  if (c.tools) out.push("tools");
  if (c.modalities.some((m) => m.toLowerCase() === "image")) out.push("vision");
  return out;
}

/** A verdict when there is one (true or false), else the catalog's claim. */
function hasCapability(cand: Candidate, cap: Capability): boolean {
  const verified = cand.capabilities?.[cap].verified ?? null;
  if (verified !== null) return verified;
  return cap === "tools"
    ? cand.supportedParameters.includes("tools")
    : cand.inputModalities.some((m) => m.toLowerCase() === "image");
}

function matches(cand: Candidate, c: RecommendCriteria): boolean {
  const ctx = cand.summary.context_length;
  if (c.minContext !== null && (ctx === null || ctx < c.minContext)) return false;
  if (c.tools && !hasCapability(cand, "tools")) return false;
  const inputs = cand.inputModalities.map((m) => m.toLowerCase());
  return c.modalities.every((m) =>
    m.toLowerCase() === "image" ? hasCapability(cand, "vision") : inputs.includes(m.toLowerCase())
  );
}

/** "tools verified by a check" / "tools claimed by the catalog, not verified yet"; null when
 * nothing is needed. */
function verifiedNote(cand: Candidate, needed: readonly Capability[]): string | null {
  if (needed.length === 0) return null;
  const yes = needed.filter((n) => cand.capabilities?.[n].verified === true);
  const no = needed.filter((n) => !yes.includes(n));
  const parts = [];
  if (yes.length) parts.push(`${yes.join(" and ")} verified by a check`);
  if (no.length) parts.push(`${no.join(" and ")} claimed by the catalog, not verified yet`);
  return parts.join("; ");
}

function why(
  st: RangeStats,
  score: number,
  latestAt: string | null,
  now: number,
  capabilities: string | null = null,
): string {
  const parts = [
    `${st.ok} of ${plural(st.checks, "check")} ok over 24 h (at least ${
      Math.floor(score * 1000) / 10
    } % with 95 % confidence)`,
  ];
  if (st.p50_latency_ms !== null) {
    parts.push(
      `median latency ${seconds(st.p50_latency_ms)}` +
        (st.p50_ttft_ms !== null ? `, first token ${seconds(st.p50_ttft_ms)}` : ""),
    );
  }
  if (latestAt) parts.push(`latest check ok ${ago(now - Date.parse(latestAt))}`);
  if (capabilities) parts.push(capabilities);
  return `${parts.join("; ")}.`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

function ago(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 1) return "just now";
  if (min < 90) return `${min} min ago`;
  return `${Math.round(min / 60)} h ago`;
}
