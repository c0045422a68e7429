/**
 * One capability request, paced and blamed like a health probe: the shared pacer grants it
 * (quota, reserve, per-minute limits), the scanner's classifier says who failed. A request that
 * failed is inconclusive, never a "no": the model was not asked, or could not answer at all.
 */
import type { ChatReply, ChatRequest } from "../../openrouter/types.ts";
import type { CheckStatus, Fault } from "../../domain/check.ts";
import { afterKeyRecheck, classify, type Verdict } from "../classify.ts";
import type { ProbeContext } from "../probe.ts";

/** What a capability request needs of the scan's probe context. */
export type CapabilityContext = Pick<
  ProbeContext,
  "chat" | "pacer" | "clock" | "timeoutMs" | "stop" | "signal" | "log" | "recheckKey"
>;

export type Sent =
  | { kind: "reply"; reply: ChatReply; at: number }
  | {
    kind: "failed";
    category: CheckStatus;
    fault: Fault | null;
    detail: string;
    at: number;
    /** False when no request went out (quota spent, key refused, shutdown): nothing to store. */
    sent: boolean;
  };

/** Account per-minute pauses one capability request sits through before it gives up. */
const MAX_MINUTE_PAUSES = 3;
const MAX_MINUTE_PAUSE_MS = 65_000;

/** Statuses of a request that reached the model and came back with a 2xx answer to judge. */
const ANSWERED: readonly CheckStatus[] = ["ok", "empty_response", "wrong_answer"];

export async function sendCapabilityRequest(
  request: ChatRequest,
  ctx: CapabilityContext,
): Promise<Sent> {
  let pauses = 0;
  while (true) {
    const at = ctx.clock.now();
    if (ctx.signal.aborted) return failed("skipped", null, "scan stopped", at, false);
    if (ctx.stop.reason) {
      return failed("skipped", "account", ctx.stop.detail ?? "stopped", at, false);
    }
    const grantedAt = await ctx.pacer.acquireAt(ctx.signal);
    if (grantedAt === null) {
      if (ctx.signal.aborted) return failed("skipped", null, "scan stopped", at, false);
      return failed("skipped", "account", "the day's free-model quota is spent", at, false);
    }
    const sentAt = ctx.clock.now();
    const reply = await ctx.chat(
      request,
      AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]),
    );
    let verdict: Verdict = classify(reply, null, ctx.clock.now());
    if (verdict.kind === "key_rejected" && verdict.reason === "auth" && ctx.recheckKey) {
      verdict = afterKeyRecheck(verdict, await ctx.recheckKey());
    }
    if (verdict.kind === "key_rejected") {
      stop(ctx, verdict.reason, `OpenRouter refused the key: ${verdict.error}`);
      return failed("skipped", "account", verdict.error, sentAt, true);
    }
    if (verdict.kind === "account_limit") {
      if (verdict.scope === "day" || pauses >= MAX_MINUTE_PAUSES) {
        if (verdict.scope === "day" && verdict.limit !== null) {
          // What GET /key would say now: nothing left until midnight.
          ctx.pacer.quota.record(
            { limit: verdict.limit, remaining: 0, used: verdict.limit },
            ctx.clock.now(),
          );
        }
        stop(ctx, "quota", `daily free-model quota used up: ${verdict.error}`);
        return failed("skipped", "account", `account limit: ${verdict.error}`, sentAt, true);
      }
      pauses++;
      const now = ctx.clock.now();
      if (verdict.limit !== null) ctx.pacer.learn(verdict.limit, verdict.resetAt, grantedAt);
      const until = Math.min(verdict.resetAt ?? now + 60_000, now + MAX_MINUTE_PAUSE_MS);
      ctx.pacer.pauseUntil(Math.max(until, now + 1_000));
      continue;
    }
    if (ANSWERED.includes(verdict.status)) return { kind: "reply", reply, at: sentAt };
    return failed(verdict.status, verdict.fault, verdict.error ?? verdict.status, sentAt, true);
  }
}

function failed(
  category: CheckStatus,
  fault: Fault | null,
  detail: string,
  at: number,
  sent: boolean,
): Sent {
  return { kind: "failed", category, fault, detail, at, sent };
}

function stop(ctx: CapabilityContext, reason: "quota" | "auth" | "payment", detail: string) {
  if (ctx.stop.reason) return;
  ctx.stop.reason = reason;
  ctx.stop.detail = detail;
  ctx.log(`stopping the capability checks: ${detail}`);
}
