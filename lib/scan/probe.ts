import type { CatalogModel, ChatReply, ChatRequest } from "../openrouter/types.ts";
import { expectedAnswer } from "./answer.ts";
import { backoffMs } from "./backoff.ts";
import type { CheckResult, Fault, SkipReason } from "../domain/check.ts";
import { readRateLimitHeaders } from "../openrouter/rate_limit_headers.ts";
import { afterKeyRecheck, classify, type Verdict } from "./classify.ts";
import type { Clock } from "./clock.ts";
import type { Pacer } from "./pacer.ts";
import { keptBackText } from "./quota.ts";
import { buildChatRequest } from "./request.ts";

export type ChatFn = (req: ChatRequest, signal: AbortSignal) => Promise<ChatReply>;

/** Why the whole scan stopped early; shared by every probe of a run. */
export interface ScanStop {
  reason: SkipReason | null;
  detail: string | null;
}

export interface ProbeContext {
  chat: ChatFn;
  pacer: Pacer;
  clock: Clock;
  random: () => number;
  prompt: string;
  timeoutMs: number;
  maxRetries: number;
  backoffBaseMs: number;
  /** Set by the first probe that learns the account cannot go on (daily quota, 401, 402). */
  stop: ScanStop;
  /** Aborted on shutdown: probes end at once, unmeasured models are `skipped`. */
  signal: AbortSignal;
  log: (message: string) => void;
  /**
   * GET /key again after a chat 401: true when it still accepts the key (then the 401 was
   * OpenRouter's own trouble, not a bad key). Shared by the probes; unset: the 401 is believed.
   */
  recheckKey?: () => Promise<boolean>;
}

/**
 * Longest pause for an account per-minute limit, and how many such pauses one check may sit
 * through before the scan treats the quota as gone (a limit that never lifts is a quota).
 */
const MAX_MINUTE_PAUSE_MS = 65_000;
const MAX_MINUTE_PAUSES = 5;

/**
 * Checks one model: paced attempts, retried with backoff for transient failures. The recorded
 * latency and TTFT are those of the final attempt alone.
 */
export async function probeModel(model: CatalogModel, ctx: ProbeContext): Promise<CheckResult> {
  const request = buildChatRequest(model, ctx.prompt);
  const expected = expectedAnswer(ctx.prompt);
  let attempts = 0;
  let retries = 0;
  let minutePauses = 0;

  while (true) {
    if (ctx.signal.aborted) return skipped(model.id, ctx, "shutdown", attempts);
    if (ctx.stop.reason) return skipped(model.id, ctx, ctx.stop.reason, attempts);
    const grantedAt = await ctx.pacer.acquireAt(ctx.signal);
    if (grantedAt === null) {
      if (ctx.signal.aborted) return skipped(model.id, ctx, "shutdown", attempts);
      stopScan(ctx, "quota", quotaSpent(ctx));
      return skipped(model.id, ctx, "quota", attempts);
    }
    if (ctx.stop.reason) return skipped(model.id, ctx, ctx.stop.reason, attempts);

    const checkedAt = ctx.clock.now();
    const reply = await ctx.chat(
      request,
      AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]),
    );
    if (ctx.signal.aborted) return skipped(model.id, ctx, "shutdown", attempts);
    let verdict: Verdict = classify(reply, expected, ctx.clock.now());
    // An account limit never reached the model: it is not one of the model's attempts.
    if (verdict.kind !== "account_limit") attempts++;

    if (verdict.kind === "key_rejected" && verdict.reason === "auth" && ctx.recheckKey) {
      verdict = afterKeyRecheck(verdict, await ctx.recheckKey());
    }
    if (verdict.kind === "key_rejected") {
      stopScan(ctx, verdict.reason, `OpenRouter refused the key: ${verdict.error}`);
      return skipped(model.id, ctx, verdict.reason, attempts);
    }
    if (verdict.kind === "account_limit") {
      if (verdict.scope === "day" || minutePauses >= MAX_MINUTE_PAUSES) {
        if (verdict.scope === "day" && verdict.limit !== null) {
          // What GET /key would say now: nothing left until midnight.
          ctx.pacer.quota.record(
            { limit: verdict.limit, remaining: 0, used: verdict.limit },
            ctx.clock.now(),
          );
        }
        stopScan(ctx, "quota", `daily free-model quota used up: ${verdict.error}`);
        return skipped(model.id, ctx, "quota", attempts);
      }
      // Not the model's fault: hold every probe until the limit lifts, keep to the limit the
      // 429 taught from then on, and ask again.
      minutePauses++;
      const now = ctx.clock.now();
      if (verdict.limit !== null) {
        const before = ctx.pacer.learned;
        const learned = ctx.pacer.learn(verdict.limit, verdict.resetAt, grantedAt);
        if (before?.limit !== learned.limit || before.windowMs !== learned.windowMs) {
          ctx.log(
            `account limit learned: ${learned.limit} requests per ` +
              `${Math.round(learned.windowMs / 100) / 10} s; every probe keeps to it`,
          );
        }
      }
      const until = Math.min(verdict.resetAt ?? now + 60_000, now + MAX_MINUTE_PAUSE_MS);
      ctx.log(
        `account per-minute limit reached; pausing ${Math.ceil((until - now) / 1000)} s`,
      );
      ctx.pacer.pauseUntil(Math.max(until, now + 1_000));
      continue;
    }
    if (verdict.status === "ok") holdIfWindowSpent(reply, ctx);
    if (verdict.retryable && retries < ctx.maxRetries) {
      retries++;
      await ctx.clock.sleep(backoffMs(retries, ctx.random, ctx.backoffBaseMs), ctx.signal);
      continue;
    }
    return {
      model_id: model.id,
      status: verdict.status,
      checked_at: checkedAt,
      http_status: reply.http_status,
      latency_ms: Math.round(reply.latency_ms),
      ttft_ms: reply.ttft_ms === null ? null : Math.round(reply.ttft_ms),
      attempts,
      output_tokens: reply.completion_tokens,
      tokens_per_second: tokensPerSecond(reply),
      provider: reply.provider,
      error: verdict.error,
      skip_reason: null,
      answer: reply.text === "" ? null : reply.text.slice(0, 200),
      fault: verdict.fault,
    };
  }
}

/**
 * A good answer that says the account's window is used up (X-RateLimit-Remaining: 0) holds
 * every probe until its reset, instead of spending a request on the 429 that would follow.
 */
function holdIfWindowSpent(reply: ChatReply, ctx: ProbeContext): void {
  const rl = readRateLimitHeaders(reply);
  const now = ctx.clock.now();
  if (rl?.remaining === 0 && rl.resetAt !== null && rl.resetAt > now) {
    ctx.pacer.pauseUntil(Math.min(rl.resetAt, now + MAX_MINUTE_PAUSE_MS));
  }
}

function quotaSpent(ctx: ProbeContext): string {
  const q = ctx.pacer.quota.snapshot(ctx.clock.now());
  if (!q) return "the day's free-model quota is spent";
  const kept = q.remaining;
  const why = keptBackText(ctx.pacer.quota.keptBack(ctx.clock.now()));
  return `the day's free-model quota is spent: ${q.used} of ${q.limit} used` +
    (kept > 0 ? `, ${kept} kept back${why ? `: ${why}` : ""}` : "") +
    `; resets ${q.resets_at}`;
}

/** Output tokens over the whole attempt (reasoning tokens included, as usage counts them). */
function tokensPerSecond(reply: ChatReply): number | null {
  const tokens = reply.completion_tokens;
  if (tokens === null || tokens <= 0 || reply.latency_ms <= 0) return null;
  return Math.round((tokens / (reply.latency_ms / 1000)) * 10) / 10;
}

function stopScan(ctx: ProbeContext, reason: SkipReason, detail: string) {
  if (ctx.stop.reason) return;
  ctx.stop.reason = reason;
  ctx.stop.detail = detail;
  ctx.log(`stopping the scan: ${detail}`);
}

export function skipped(
  modelId: string,
  ctx: Pick<ProbeContext, "clock" | "stop">,
  reason: SkipReason,
  attempts = 0,
): CheckResult {
  return {
    model_id: modelId,
    status: "skipped",
    checked_at: ctx.clock.now(),
    http_status: null,
    latency_ms: null,
    ttft_ms: null,
    attempts,
    output_tokens: null,
    tokens_per_second: null,
    provider: null,
    error: reason === "shutdown" ? "scan stopped before this model was checked" : ctx.stop.detail,
    skip_reason: reason,
    answer: null,
    fault: skipFault(reason),
  };
}

/** A skip is the account's doing, except a shutdown, which is nobody's fault. */
function skipFault(reason: SkipReason): Fault | null {
  return reason === "shutdown" ? null : "account";
}
