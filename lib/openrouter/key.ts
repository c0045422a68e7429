/**
 * GET /key (formerly /auth/key): the key's credit limits and tier, normalised.
 * `label` is deliberately dropped: it holds part of the key.
 */
import { z } from "zod";
import type { KeyInfo } from "./types.ts";

const optNumber = z.number().finite().nullish().catch(null);

const KeyBody = z.looseObject({
  data: z.looseObject({
    is_free_tier: z.boolean().nullish().catch(null),
    limit: optNumber,
    limit_remaining: optNumber,
    usage: optNumber,
    usage_daily: optNumber,
    rate_limit: z.object({ requests: z.number().finite(), interval: z.string() }).nullish()
      .catch(null),
    // Free-model requests of the current UTC day; absent on older API versions.
    free_model_daily_requests: z.object({
      limit: z.number().int().nonnegative(),
      remaining: z.number().int().nonnegative(),
      used: z.number().int().nonnegative(),
    }).nullish().catch(null),
  }),
});

/** Null when the body has no `data` object. */
export function parseKeyInfo(body: unknown): KeyInfo | null {
  const parsed = KeyBody.safeParse(body);
  if (!parsed.success) return null;
  const d = parsed.data.data;
  return {
    is_free_tier: d.is_free_tier ?? null,
    limit: d.limit ?? null,
    limit_remaining: d.limit_remaining ?? null,
    usage: d.usage ?? null,
    usage_daily: d.usage_daily ?? null,
    rate_limit: d.rate_limit
      ? { requests: d.rate_limit.requests, interval: d.rate_limit.interval }
      : null,
    free_model_daily_requests: d.free_model_daily_requests
      ? {
        limit: d.free_model_daily_requests.limit,
        remaining: d.free_model_daily_requests.remaining,
        used: d.free_model_daily_requests.used,
      }
      : null,
  };
}
