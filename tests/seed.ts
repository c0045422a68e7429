/**
 * Test data for the read models, the API and the pages: a temp database filled through the real
 * Store (syncCatalog, startRun, insertCheck, finishRun), from hand-written rows or from a
 * deterministic generator of realistic history.
 *
 *   await using db = await openTestStore();
 *   await seedStore(db.store, {
 *     models: [{ id: "a/b:free", name: "A B" }, { id: "gone/x:free", present: false }],
 *     checks: [{ model_id: "a/b:free", checked_at: t0, status: "ok", latency_ms: 900 }],
 *   });
 *   await seedStore(db.store, generateHistory({ now, models: 30, days: 7 }));
 */
import { prng } from "../lib/demo/random.ts";
import { openStore } from "../lib/db/open.ts";
import { model } from "./db/helpers.ts";
import type { Store } from "../lib/db/store.ts";
import type { CatalogModel } from "../lib/openrouter/types.ts";
import type {
  CheckResult,
  CheckStatus,
  Fault,
  RunStatus,
  SkipReason,
} from "../lib/domain/check.ts";

export interface TestStore {
  store: Store;
  /** The database file. */
  path: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A migrated database in a fresh temp directory (WAL, as in production), removed on dispose;
 * with `memory`, an in-memory one (faster, for property tests that open many).
 */
export async function openTestStore(opts: { memory?: boolean } = {}): Promise<TestStore> {
  if (opts.memory) {
    const store = await openStore({ path: ":memory:" });
    return { store, path: ":memory:", [Symbol.asyncDispose]: () => Promise.resolve(store.close()) };
  }
  const dir = await Deno.makeTempDir({ prefix: "scouter-stats-" });
  const path = `${dir}/scouter.db`;
  const store = await openStore({ path });
  return {
    store,
    path,
    async [Symbol.asyncDispose]() {
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A catalog model; only `id` is needed. `present: false` records it as removed. */
export interface SeedModel extends Partial<Omit<CatalogModel, "id">> {
  id: string;
  /** Default true. */
  present?: boolean;
}

/**
 * A check; unset fields get values typical of `status` (see `checkDefaults`); pass `null` to
 * store a NULL.
 */
export interface SeedCheck {
  model_id: string;
  checked_at: number;
  status: CheckStatus;
  latency_ms?: number | null;
  ttft_ms?: number | null;
  http_status?: number | null;
  attempts?: number;
  provider?: string | null;
  error?: string | null;
  skip_reason?: SkipReason | null;
  answer?: string | null;
  output_tokens?: number | null;
  tokens_per_second?: number | null;
  /** Who was at fault; 'openrouter' on a failure makes it not measured (lib/db/rollups.ts). */
  fault?: Fault | null;
  /**
   * Checks with the same key share a run. Without keys, checks are grouped by time: a run
   * takes every check within RUN_SPAN_MS of its first.
   */
  run?: string | number;
}

export interface SeedData {
  models?: SeedModel[];
  checks?: SeedCheck[];
  /** When the catalog lists every model (first_seen_at); default: an hour before the first check. */
  catalogAt?: number;
  /** When the `present: false` models left it; default: just after the last check. */
  removedAt?: number;
}

export interface SeedResult {
  runIds: number[];
  /** In the order of `checks` after sorting by time. */
  checkIds: number[];
}

export const RUN_SPAN_MS = 30 * 60_000;

/**
 * Writes `data` through the Store. Models that checks mention but `models` does not are added
 * as present catalog models. Each run ends `completed`, or `quota_exhausted` / `failed` /
 * `aborted` when one of its checks was skipped for that reason.
 */
export async function seedStore(store: Store, data: SeedData): Promise<SeedResult> {
  const checks = [...(data.checks ?? [])].sort((a, b) => a.checked_at - b.checked_at);
  const models = new Map((data.models ?? []).map((m) => [m.id, m]));
  for (const c of checks) if (!models.has(c.model_id)) models.set(c.model_id, { id: c.model_id });

  const firstAt = checks[0]?.checked_at ?? Date.now();
  const lastAt = checks.at(-1)?.checked_at ?? firstAt;
  if (models.size > 0) {
    const all = [...models.values()];
    await store.syncCatalog(all.map(catalogModel), data.catalogAt ?? firstAt - 3_600_000, null);
    const present = all.filter((m) => m.present !== false);
    const removedAt = data.removedAt ?? lastAt + 1;
    if (present.length === 0) {
      // syncCatalog refuses an empty catalog (a glitch upstream, by its rules): mark directly.
      await store.client.execute({
        sql: "UPDATE models SET present = 0, removed_at = ?",
        args: [removedAt],
      });
    } else if (present.length < all.length) {
      await store.syncCatalog(present.map(catalogModel), removedAt, null);
    }
  }

  const runs = groupRuns(checks);
  const result: SeedResult = { runIds: [], checkIds: [] };
  for (const group of runs) {
    const started = group[0].checked_at;
    const runId = await store.startRun({ trigger: "schedule", started_at: started });
    await store.setRunTotal(runId, group.length);
    let end = started;
    for (const c of group) {
      const full = checkResult(c);
      result.checkIds.push(await store.insertCheck(runId, full));
      end = Math.max(end, c.checked_at + (full.latency_ms ?? 0));
    }
    await store.finishRun(runId, { status: runStatusOf(group), finished_at: end + 1 });
    result.runIds.push(runId);
  }
  return result;
}

function groupRuns(sorted: readonly SeedCheck[]): SeedCheck[][] {
  const keyed = new Map<string | number, SeedCheck[]>();
  const timed: SeedCheck[][] = [];
  for (const c of sorted) {
    if (c.run !== undefined) {
      const g = keyed.get(c.run);
      if (g) g.push(c);
      else keyed.set(c.run, [c]);
      continue;
    }
    const last = timed.at(-1);
    if (last && c.checked_at - last[0].checked_at <= RUN_SPAN_MS) last.push(c);
    else timed.push([c]);
  }
  return [...keyed.values(), ...timed].sort((a, b) => a[0].checked_at - b[0].checked_at);
}

function runStatusOf(group: readonly SeedCheck[]): RunStatus {
  const reasons = new Set(
    group.map((c) => c.status === "skipped" ? checkResult(c).skip_reason : null),
  );
  if (reasons.has("auth") || reasons.has("payment")) return "failed";
  if (reasons.has("quota")) return "quota_exhausted";
  if (reasons.has("shutdown")) return "aborted";
  return "completed";
}

function catalogModel(m: SeedModel): CatalogModel {
  return model(m.id, { description: null, ...m });
}

/** What a check of `status` typically carries, before the fields a SeedCheck sets. */
export function checkDefaults(status: CheckStatus): Omit<CheckResult, "model_id" | "checked_at"> {
  const base = {
    status,
    http_status: null,
    latency_ms: null,
    ttft_ms: null,
    attempts: 1,
    output_tokens: null,
    tokens_per_second: null,
    provider: "Chutes",
    error: null,
    skip_reason: null,
    answer: null,
  };
  switch (status) {
    case "ok":
      return {
        ...base,
        http_status: 200,
        latency_ms: 800,
        ttft_ms: 500,
        output_tokens: 2,
        tokens_per_second: 2.5,
        answer: "OK",
      };
    case "wrong_answer":
      return {
        ...base,
        http_status: 200,
        latency_ms: 900,
        ttft_ms: 600,
        answer: "Sure!",
        error: "answer does not match",
      };
    case "empty_response":
      return { ...base, http_status: 200, latency_ms: 1500, error: "empty response" };
    case "rate_limited":
      return {
        ...base,
        http_status: 429,
        latency_ms: 300,
        attempts: 3,
        error: "rate-limited upstream",
      };
    case "unavailable":
      return {
        ...base,
        http_status: 502,
        latency_ms: 500,
        attempts: 3,
        error: "provider returned 502",
      };
    case "not_found":
      return {
        ...base,
        http_status: 404,
        latency_ms: 200,
        provider: null,
        error: "no endpoints found",
      };
    case "rejected":
      return { ...base, http_status: 400, latency_ms: 200, error: "bad request" };
    case "timeout":
      return { ...base, attempts: 3, error: "no answer within 20 s" };
    case "invalid_response":
      return { ...base, http_status: 200, latency_ms: 700, error: "unparseable stream" };
    case "network_error":
      return { ...base, provider: null, attempts: 3, error: "connection reset" };
    case "skipped":
      return {
        ...base,
        provider: null,
        attempts: 0,
        skip_reason: "quota",
        error: "daily quota used up",
      };
  }
}

function checkResult(c: SeedCheck): CheckResult {
  const { run: _run, ...fields } = c;
  // Fields left undefined take the defaults; an explicit null stays null.
  const set = Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as Partial<CheckResult>;
  return { model_id: c.model_id, checked_at: c.checked_at, ...checkDefaults(c.status), ...set };
}

/** The demo data's seedable PRNG (mulberry32): the same seed gives the same history. */
export { prng };

/** How a generated model behaves. */
export type Profile =
  | "healthy" // ~98 % ok, 0.5–2.5 s
  | "slow" // ok but a median over 10 s
  | "flaky" // ~70 % ok; rate limits, 5xx, timeouts, empty answers
  | "down" // fine until 6 h ago, failing since
  | "dead" // 404 (no endpoint) every time
  | "wrong" // answers, often not "OK"
  | "new" // appeared 3 h ago
  | "removed"; // left the catalog 2 days ago

export const PROFILES: readonly Profile[] = [
  "healthy",
  "flaky",
  "healthy",
  "slow",
  "healthy",
  "down",
  "healthy",
  "wrong",
  "healthy",
  "dead",
  "healthy",
  "new",
  "healthy",
  "removed",
];

export interface HistoryOptions {
  /** Epoch ms of the end of the history (the page's or API's `now`). */
  now: number;
  /** A number of models (ids `vendor-N/model-N:free`, profiles cycling through PROFILES). */
  models?: number;
  days?: number;
  /** Minutes between scans (scans start on multiples of it). */
  intervalMinutes?: number;
  seed?: number;
  /** About one scan in this many runs out of daily quota halfway (the rest `skipped`). */
  quotaEvery?: number;
}

/** A deterministic, realistic history: every model checked every interval, a few seconds apart. */
export function generateHistory(
  opts: HistoryOptions,
): SeedData & { profiles: Map<string, Profile> } {
  const count = opts.models ?? 30;
  const days = opts.days ?? 7;
  const step = (opts.intervalMinutes ?? 60) * 60_000;
  const quotaEvery = opts.quotaEvery ?? 40;
  const rand = prng(opts.seed ?? 42);
  const profiles = new Map<string, Profile>();
  const models: SeedModel[] = [];
  for (let i = 0; i < count; i++) {
    const id = `vendor-${i}/model-${i}:free`;
    const profile = PROFILES[i % PROFILES.length];
    profiles.set(id, profile);
    models.push({ id, name: `Vendor ${i}: Model ${i} (free)`, present: profile !== "removed" });
  }
  const base = models.map(() => 500 + Math.floor(rand() * 2000));
  const checks: SeedCheck[] = [];
  const first = Math.ceil((opts.now - days * 86_400_000) / step) * step;
  for (let t = first; t <= opts.now; t += step) {
    const quotaAt = rand() < 1 / quotaEvery ? Math.floor(rand() * count) : count;
    for (let i = 0; i < count; i++) {
      const at = t + i * 2_000;
      if (at > opts.now) break;
      const id = models[i].id;
      const profile = profiles.get(id) ?? "healthy";
      if (profile === "new" && at < opts.now - 3 * 3_600_000) continue;
      if (profile === "removed" && at > opts.now - 2 * 86_400_000) continue;
      if (i >= quotaAt) {
        checks.push({ model_id: id, checked_at: at, status: "skipped" });
        continue;
      }
      checks.push(generateCheck(id, at, profile, base[i], opts.now, rand));
    }
  }
  return { models, checks, catalogAt: first - 3_600_000, profiles };
}

function generateCheck(
  id: string,
  at: number,
  profile: Profile,
  base: number,
  now: number,
  rand: () => number,
): SeedCheck {
  const latency = (scale: number) => Math.round(scale * (0.6 + rand() * 0.8));
  const ok = (scale: number): SeedCheck => {
    const latency_ms = latency(scale);
    return {
      model_id: id,
      checked_at: at,
      status: "ok",
      latency_ms,
      ttft_ms: Math.round(latency_ms * (0.4 + rand() * 0.4)),
    };
  };
  const fail = (status: CheckStatus): SeedCheck => ({ model_id: id, checked_at: at, status });
  const failures: CheckStatus[] = ["rate_limited", "unavailable", "timeout", "empty_response"];
  switch (profile) {
    case "healthy":
    case "new":
    case "removed":
      return rand() < 0.98 ? ok(base) : fail("rate_limited");
    case "slow":
      return rand() < 0.95 ? ok(12_000 + base) : fail("timeout");
    case "flaky":
      return rand() < 0.7 ? ok(base * 2) : fail(failures[Math.floor(rand() * failures.length)]);
    case "down":
      return at < now - 6 * 3_600_000 && rand() < 0.97 ? ok(base) : fail("unavailable");
    case "dead":
      return fail("not_found");
    case "wrong":
      return rand() < 0.6 ? ok(base) : fail("wrong_answer");
  }
}
