/**
 * Token buckets in memory, one per key (a client address, or one shared key for a global
 * limit): `capacity` requests at once, refilled at `perMinute`. Memory stays bounded: past
 * `maxKeys` keys, the least recently seen are forgotten (a forgotten key starts full, which
 * only ever errs on the side of letting a client through).
 *
 *   const limiter = createRateLimiter({ capacity: 10, perMinute: 10 });
 *   const verdict = limiter.take(clientAddress);
 *   if (!verdict.ok) return 429 with Retry-After: verdict.retryAfterSeconds;
 */

export interface RateLimitOptions {
  /** Requests allowed in a burst (the bucket's size). */
  capacity: number;
  /** Tokens added back per minute. */
  perMinute: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
  /** Keys remembered at most (default 10,000). */
  maxKeys?: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one token for `key`, or says how long until one is free. */
  take(key: string): RateVerdict;
  /** Keys remembered now (for tests of the memory bound). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  const now = opts.now ?? (() => performance.now());
  const perMs = opts.perMinute / 60_000;
  const maxKeys = opts.maxKeys ?? 10_000;
  const buckets = new Map<string, Bucket>();

  return {
    take(key) {
      const t = now();
      const old = buckets.get(key);
      const tokens = old
        ? Math.min(opts.capacity, old.tokens + Math.max(0, t - old.at) * perMs)
        : opts.capacity;
      // Re-inserted so that the Map's order is least recently seen first.
      buckets.delete(key);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: t });
        while (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
        return { ok: true };
      }
      buckets.set(key, { tokens, at: t });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
    },
    get size() {
      return buckets.size;
    },
  };
}

/**
 * The bucket key of a client address: an IPv4 address as is, an IPv6 address by its /64
 * (one host usually holds a whole /64, so keying by full address would let it pick a fresh
 * bucket for every request).
 */
export function clientKey(address: string | null | undefined): string {
  if (!address) return "unknown";
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (v4) return v4[1];
  if (!address.includes(":")) return address;
  const [head, tail = ""] = address.toLowerCase().replace(/%.*$/, "").split("::", 2);
  const left = head === "" ? [] : head.split(":");
  const right = address.includes("::") && tail !== "" ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
