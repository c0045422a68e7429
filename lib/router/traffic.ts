/** A routed attempt as a check (source 'traffic'): measurements only, never text. */
import type { CheckResult } from "../domain/check.ts";
import type { ChatReply } from "../openrouter/types.ts";
import { classify } from "../scan/classify.ts";

/**
 * The check of an attempt. An answered attempt is judged by how its stream ended (a reply with
 * only tool calls is an answer, not `empty_response`); a failed one by its verdict.
 */
export function trafficCheck(
  model: string,
  reply: ChatReply,
  checkedAt: number,
  answeredWithTools: boolean,
  now: number,
): CheckResult | null {
  const verdict = classify(reply, null, now);
  if (verdict.kind !== "check") return null;
  const ok = verdict.status === "ok" || (verdict.status === "empty_response" && answeredWithTools);
  const tokens = reply.completion_tokens;
  return {
    model_id: model,
    status: ok ? "ok" : verdict.status,
    checked_at: checkedAt,
    http_status: reply.http_status,
    latency_ms: Math.round(reply.latency_ms),
    ttft_ms: reply.ttft_ms === null ? null : Math.round(reply.ttft_ms),
    attempts: 1,
    output_tokens: tokens,
    tokens_per_second: tokens !== null && tokens > 0 && reply.latency_ms > 0
      ? Math.round((tokens / (reply.latency_ms / 1000)) * 10) / 10
      : null,
    provider: reply.provider,
    error: ok ? null : verdict.error,
    skip_reason: null,
    answer: null,
    fault: ok ? null : verdict.fault,
  };
}
