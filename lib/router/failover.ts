/**
 * The failover loop: candidates in order, each behind its circuit breaker and the shared
 * pacer, until one answers or `maxAttempts` models were tried. Account limits are not a
 * model's failure and no other model can help: a per-minute one is waited out when its reset
 * is near, else (and for the daily quota) the request gets a 429 with Retry-After.
 */
import type { Pacer } from "../scan/pacer.ts";
import type { Clock } from "../scan/clock.ts";
import type { Verdict } from "../scan/classify.ts";
import type { Answered, AttemptResult, Judged } from "./attempt.ts";

/** The longest a routed request waits for the account's per-minute limit to lift. */
export const MAX_ACCOUNT_WAIT_MS = 10_000;
/** Per-minute waits one request may sit through before it gets its 429. */
const MAX_ACCOUNT_WAITS = 2;

export interface RouteStep {
  model: string;
  /** `ok`, or what went wrong (`upstream_429`, `timeout`, `unavailable` …). */
  outcome: string;
}

export interface FailoverDeps {
  pacer: Pacer;
  clock: Clock;
  maxAttempts: number;
  /** Whether the model's breaker lets a request through now (may take its half-open trial). */
  admit(model: string): boolean;
  attempt(model: string, signal: AbortSignal): Promise<AttemptResult>;
  /** Called once per attempt that reached a model and says something about it. */
  record(model: string, result: AttemptResult, checkedAt: number): void;
  onAccountWait?(ms: number): void;
}

export type RouteResult =
  | { kind: "answered"; model: string; answer: Answered; route: RouteStep[]; checkedAt: number }
  | { kind: "client_error"; model: string; judged: Judged; route: RouteStep[] }
  | {
    kind: "account_limit";
    scope: "minute" | "day";
    retryAfterSeconds: number;
    message: string;
    route: RouteStep[];
  }
  | { kind: "key_rejected"; message: string; route: RouteStep[] }
  | { kind: "exhausted"; route: RouteStep[]; tried: number; skippedByBreaker: number }
  | { kind: "aborted"; route: RouteStep[] };

export async function routeRequest(
  deps: FailoverDeps,
  candidates: readonly string[],
  signal: AbortSignal,
): Promise<RouteResult> {
  const route: RouteStep[] = [];
  let tried = 0;
  let skipped = 0;
  let waits = 0;
  for (const model of candidates) {
    if (tried >= deps.maxAttempts) break;
    if (!deps.admit(model)) {
      skipped++;
      continue;
    }
    while (true) {
      if (!await deps.pacer.acquire(signal)) {
        if (signal.aborted) return { kind: "aborted", route };
        // The shared pacer refuses when the day's quota (as GET /key counted it) is spent.
        return dailyQuotaSpent(deps.clock.now(), route, "as GET /key and this server count it");
      }
      const checkedAt = deps.clock.now();
      const result = await deps.attempt(model, signal);
      if (signal.aborted) {
        if (result.kind === "answered") await result.stream.cancel().catch(() => {});
        return { kind: "aborted", route };
      }
      if (result.kind === "answered") {
        tried++;
        route.push({ model, outcome: "ok" });
        deps.record(model, result, checkedAt);
        return { kind: "answered", model, answer: result, route, checkedAt };
      }
      const v = result.verdict;
      if (v.kind === "account_limit") {
        const now = deps.clock.now();
        const resetAt = v.resetAt ?? now + 60_000;
        if (
          v.scope === "minute" && waits < MAX_ACCOUNT_WAITS && resetAt - now <= MAX_ACCOUNT_WAIT_MS
        ) {
          waits++;
          const until = Math.max(resetAt, now + 250);
          deps.onAccountWait?.(until - now);
          deps.pacer.pauseUntil(until);
          continue;
        }
        if (v.scope === "day") {
          route.push({ model, outcome: "account_day_limit" });
          return dailyQuotaSpent(now, route, "OpenRouter says");
        }
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((Math.max(resetAt, now + 1000) - now) / 1000),
        );
        route.push({ model, outcome: "account_minute_limit" });
        return {
          kind: "account_limit",
          scope: "minute",
          retryAfterSeconds,
          message:
            `The account's per-minute free-model limit is reached; retry in ${retryAfterSeconds} s.`,
          route,
        };
      }
      if (v.kind === "key_rejected") {
        route.push({ model, outcome: `key_${v.reason}` });
        return { kind: "key_rejected", message: v.error, route };
      }
      tried++;
      if (isRequestFault(result)) {
        route.push({ model, outcome: "request_rejected" });
        return { kind: "client_error", model, judged: result, route };
      }
      route.push({ model, outcome: outcomeLabel(v) });
      deps.record(model, result, checkedAt);
      break;
    }
  }
  return { kind: "exhausted", route, tried, skippedByBreaker: skipped };
}

/**
 * A 4xx about the request itself (OpenRouter refused it before any provider: bad parameters,
 * too large, flagged by moderation) is returned as it is; a provider's own 400 is the model's.
 */
export function isRequestFault(j: Judged): boolean {
  if (j.verdict.kind !== "check" || j.verdict.status !== "rejected") return false;
  const status = j.reply.http_status ?? 0;
  const meta = j.reply.error?.metadata ?? null;
  if (status === 413 || status === 422) return true;
  if (status === 403) return Array.isArray(meta?.reasons);
  const upstream = meta?.raw !== undefined ||
    (typeof meta?.provider_name === "string" && meta.provider_name !== "");
  return status === 400 && !upstream;
}

function outcomeLabel(v: Verdict): string {
  if (v.kind !== "check") return v.kind;
  return v.status === "rate_limited" ? "upstream_429" : v.status;
}

function dailyQuotaSpent(now: number, route: RouteStep[], who: string): RouteResult {
  const retryAfterSeconds = Math.max(1, Math.ceil((nextUtcMidnight(now) - now) / 1000));
  return {
    kind: "account_limit",
    scope: "day",
    retryAfterSeconds,
    message: `The account's daily free-model quota is used up (${who}); it resets at UTC ` +
      `midnight (in ${retryAfterSeconds} s). Failover cannot help: every free model shares it.`,
    route,
  };
}

export function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}
