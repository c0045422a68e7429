/**
 * Realistic synthetic history, for trying the dashboard without a key and as the benchmark's
 * input: `models` free models scanned every `intervalMinutes` over `days`, with a daily latency
 * cycle per model, scattered failures, upstream 429 bursts, outages (5xx and timeouts, or 404 for
 * days), catalog churn (models leave, new ones arrive, a few come back), and now and then a scan
 * cut short by the account's daily quota. Deterministic for a seed.
 *
 * Yields, in time order, catalog changes and chunks of finished runs (about `chunkChecks` checks
 * each) for `fill.ts` to write.
 */
import type { BulkRun } from "../db/bulk.ts";
import type { CatalogModel } from "../openrouter/types.ts";
import type { CheckResult, CheckStatus } from "../domain/check.ts";
import { type Behaviour, type DemoModel, demoModel, modelIds } from "./models.ts";
import { between, exponential, logNormal, pick, prng, type Random } from "./random.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The scanner's per-request timeout: slower answers are timeouts. */
const TIMEOUT_MS = 20_000;
/** Time between two checks of one scan (the pacer's delay and RPM). */
const SPACING_MS = 3_000;
/** Churn: removals per model per year. */
const CHURN_PER_YEAR = 0.35;
/** One scan in this many runs out of the day's quota halfway. */
const QUOTA_EVERY = 300;

export interface DemoOptions {
  /** Models in the catalog at any time (default 100). */
  models?: number;
  /** Days of history ending at `now` (default 30). */
  days?: number;
  /** End of the history, epoch ms (default: now). */
  now?: number;
  seed?: number;
  /** Minutes between scans (default 60). */
  intervalMinutes?: number;
  /** Checks per chunk of runs (default 5000). */
  chunkChecks?: number;
}

export type DemoItem =
  | { kind: "catalog"; at: number; models: CatalogModel[] }
  | { kind: "runs"; runs: BulkRun[]; checks: number; until: number };

/** A model's stay in the catalog. */
interface Tenancy {
  model: DemoModel;
  from: number;
  to: number;
}

/** The scan times of a history: multiples of the interval over (now − days, now]. */
export function scanTimes(opts: DemoOptions): number[] {
  const now = opts.now ?? Date.now();
  const step = (opts.intervalMinutes ?? 60) * 60_000;
  const first = Math.ceil((now - (opts.days ?? 30) * DAY) / step) * step;
  const out: number[] = [];
  for (let t = first; t <= now; t += step) out.push(t);
  return out;
}

/** Every stay of every slot: a slot's model may leave, and another (or, rarely, it) takes over. */
function tenancies(r: Random, slots: number, from: number, to: number): Tenancy[] {
  const out: Tenancy[] = [];
  // Enough ids for the churn to come; extra ones are simply never used.
  const years = (to - from) / (365 * DAY);
  const ids = modelIds(r, Math.ceil(slots * (1.2 + 2 * CHURN_PER_YEAR * years)) + 4);
  let next = 0;
  for (let s = 0; s < slots; s++) {
    let id = ids[next++];
    let t = from;
    while (t < to) {
      const stay = exponential(r, (365 * DAY) / CHURN_PER_YEAR);
      const end = Math.min(to, Math.round(t + stay));
      out.push({ model: demoModel(r, id, t, end), from: t, to: end === to ? Infinity : end });
      if (end === to) break;
      // Gone for a while; usually a new model takes the slot, sometimes the same one returns.
      t = end + Math.round(between(r, 1, 72) * HOUR);
      if (r() >= 0.15 && next < ids.length) id = ids[next++];
    }
  }
  return out;
}

/** The check of `m` at `at`. */
function checkOf(r: Random, id: string, b: Behaviour, at: number): CheckResult {
  const base = {
    model_id: id,
    checked_at: at,
    attempts: 1,
    output_tokens: null,
    tokens_per_second: null,
    provider: pick(r, ["Chutes", "Targon", "Together", "DeepInfra", "Venice", "Google AI Studio"]),
    error: null,
    skip_reason: null,
    answer: null,
  };
  const fail = (
    status: CheckStatus,
    http: number | null,
    error: string,
    latency: number | null,
  ) => ({ ...base, status, http_status: http, latency_ms: latency, ttft_ms: null, error });
  const outage = b.outages.find((o) => o.from <= at && at < o.to);
  if (outage?.kind === "gone") return fail("not_found", 404, "no endpoints found", 180);
  if (outage) {
    const x = r();
    if (x < 0.7) return fail("unavailable", pick(r, [502, 503]), "provider returned an error", 900);
    if (x < 0.9) return fail("timeout", null, "no answer within 20 s", null);
    return fail("network_error", null, "connection reset", null);
  }
  if (b.bursts.some(([a, z]) => a <= at && at < z) && r() < 0.7) {
    return { ...fail("rate_limited", 429, "rate-limited upstream", 250), attempts: 3 };
  }
  const x = r();
  if (x < b.failRate) {
    const [status, http, error] = pick(
      r,
      [
        ["unavailable", 502, "provider returned 502"],
        ["unavailable", 503, "provider returned 503"],
        ["timeout", null, "no answer within 20 s"],
        ["empty_response", 200, "empty response"],
        ["rate_limited", 429, "rate-limited upstream"],
        ["invalid_response", 200, "unparseable stream"],
        ["network_error", null, "connection reset"],
        ["rejected", 400, "bad request"],
      ] as const,
    );
    return fail(status, http, error, http === null ? null : Math.round(between(r, 150, 2_000)));
  }
  const hour = (at % DAY) / HOUR;
  const cycle = 1 + b.amplitude * Math.sin((2 * Math.PI * (hour - b.peakHour + 6)) / 24);
  const latency = Math.max(40, Math.round(logNormal(r, b.baseMs * cycle, b.sigma)));
  if (latency > TIMEOUT_MS) return fail("timeout", null, "no answer within 20 s", null);
  const ttft = Math.round(latency * b.ttftShare * between(r, 0.8, 1.2));
  const wrong = x < b.failRate + b.wrongRate;
  const tokens = wrong ? Math.round(between(r, 5, 40)) : 2;
  return {
    ...base,
    status: wrong ? "wrong_answer" : "ok",
    http_status: 200,
    latency_ms: latency,
    ttft_ms: Math.min(ttft, latency),
    output_tokens: tokens,
    tokens_per_second: Math.round((tokens / Math.max(1, latency - ttft)) * 1e5) / 100,
    error: wrong ? "answer does not match" : null,
    answer: wrong ? "Sure! Here is the text you asked for: OK" : "OK",
  };
}

export function* demoHistory(opts: DemoOptions = {}): Generator<DemoItem> {
  const now = opts.now ?? Date.now();
  const times = scanTimes({ ...opts, now });
  if (times.length === 0) return;
  const r = prng(opts.seed ?? 1);
  const stays = tenancies(r, opts.models ?? 100, times[0] - HOUR, now + 1);
  const chunk = opts.chunkChecks ?? 5_000;
  let runs: BulkRun[] = [];
  let checks = 0;
  let catalog = "";
  for (const t of times) {
    const present = stays.filter((s) => s.from <= t && t < s.to)
      .sort((a, b) => a.model.catalog.id < b.model.catalog.id ? -1 : 1);
    const key = present.map((s) => s.model.catalog.id).join("\n");
    if (key !== catalog && present.length > 0) {
      if (runs.length) yield { kind: "runs", runs, checks, until: runs.at(-1)!.started_at };
      runs = [];
      checks = 0;
      yield { kind: "catalog", at: t, models: present.map((s) => s.model.catalog) };
      catalog = key;
    }
    const quotaAt = r() < 1 / QUOTA_EVERY ? Math.floor(r() * present.length) : Infinity;
    const results: CheckResult[] = present.map((s, i) => {
      const at = t + i * SPACING_MS + Math.floor(r() * 1_000);
      if (i >= quotaAt) {
        return {
          model_id: s.model.catalog.id,
          status: "skipped",
          checked_at: at,
          http_status: null,
          latency_ms: null,
          ttft_ms: null,
          attempts: 0,
          output_tokens: null,
          tokens_per_second: null,
          provider: null,
          error: "daily quota used up",
          skip_reason: "quota",
          answer: null,
        };
      }
      return checkOf(r, s.model.catalog.id, s.model.behaviour, at);
    });
    const last = results.at(-1);
    runs.push({
      started_at: t,
      finished_at: last ? last.checked_at + (last.latency_ms ?? 0) + 1 : t,
      status: quotaAt < present.length ? "quota_exhausted" : "completed",
      trigger: "schedule",
      checks: results,
    });
    checks += results.length;
    if (checks >= chunk) {
      yield { kind: "runs", runs, checks, until: t };
      runs = [];
      checks = 0;
    }
  }
  if (runs.length) yield { kind: "runs", runs, checks, until: runs.at(-1)!.started_at };
}
