/**
 * The response cache: each page and GET API answer is rendered once per data version and time
 * bucket, then served from memory, with its ETag (a 304 when the client already has it) and
 * its gzip and brotli bodies made once, beside it.
 *
 *   app.use(responseCache({ version, now }).middleware); // after compress(), before the routes
 *
 * The key: the path and query, and for pages the theme cookie's value; the entry keeps the
 * version it was rendered under (the data version, read at most once a second, see
 * version_reader.ts) and the time bucket (10 s), so "5 min ago" and 24-hour windows stay true.
 * The version is read before rendering: an entry is never newer than its version says, at
 * worst rendered again. An entry is kept at least 2 s (`minAgeMs`) even if the version moved.
 *
 * Stale-while-revalidate, inside the server: once a key has an entry, a new version or time
 * bucket never makes a request wait. Everyone gets the previous entry (with its own ETag) while
 * ONE background render (through `refetch`, the app's own fetch, a request of its own) makes
 * the new one. Bounded: an entry is served stale at most `maxStaleMs` (5 s) past the last
 * moment it was known current (its version seen, its bucket not over); past that, or for a key
 * with no entry, the request renders (or waits for the render in flight). A background render
 * that fails (an error, a non-200) is logged once and retried at most once a second; stale is
 * served until the bound. So a write shows within about 3 s (1 s version interval, 2 s
 * `minAgeMs`, one render), 6 s at worst. Without `refetch` the request that finds its entry
 * stale renders it itself, and the others get the previous entry meanwhile.
 *
 * Only 200s without Set-Cookie are kept; the LRU is capped in entries and bytes, so a crawler
 * walking query strings only evicts.
 */
import type { Context, MiddlewareHandler, Next } from "hono";
import {
  CACHE_CONTROL,
  type CacheKind,
  cacheKindOf,
  MAX_CACHED_URL,
  VARY,
} from "./cache_policy.ts";
import { chooseEncoding, compressBody } from "./encoding.ts";
import { createLru } from "./lru.ts";
import { themeFromCookie } from "./layout.tsx";

export interface ResponseCacheOptions {
  /** The data version (throttled by the caller); a failure serves uncached. */
  version: () => Promise<string>;
  now: () => number;
  /** Default 10 s: the longest a clock-dependent text ("3 min ago") can lag. */
  bucketMs?: number;
  /**
   * Default 2 s: an entry is served this long even when the version moved on. A scan writes
   * about a check a second; rendering `/` again for each (~65 ms on the main thread) would
   * hold up every request in flight each time.
   */
  minAgeMs?: number;
  /**
   * Default 5 s: how long past the last moment an entry was known current it may still be
   * served while a background render makes the new one. Past it, requests wait for a render.
   */
  maxStaleMs?: number;
  /**
   * How a background render reaches the routes: the app's own `fetch` (`app.fetch`), given a
   * request of its own that this middleware recognises. Unset: no background renders.
   */
  refetch?: (request: Request, env: unknown) => Response | Promise<Response>;
  /** Default 2: background renders in flight at once (more keys queue for a free slot). */
  maxBackgroundRenders?: number;
  /** Default 512 entries. */
  maxEntries?: number;
  /** Default 64 MB (every encoding of a body counted). */
  maxBytes?: number;
  log?: (message: string) => void;
}

export interface ResponseCache {
  middleware: MiddlewareHandler;
  stats(): {
    entries: number;
    bytes: number;
    hits: number;
    renders: number;
    /** Requests answered with a previous entry while its new one was being rendered. */
    stale: number;
    /** Renders made in the background (included in `renders`). */
    background: number;
    /** Background renders that failed (an error or a non-200). */
    backgroundFailures: number;
  };
}

interface Entry {
  key: string;
  version: string;
  bucket: number;
  renderedAt: number;
  /** The last moment this entry was known current: its version seen, within its bucket. */
  currentAt: number;
  /** A failed background render: none is tried again before this time. */
  retryAt: number;
  headers: [string, string][];
  etag: string;
  body: Bytes;
  compressible: boolean;
  encoded: { br?: Promise<Bytes>; gzip?: Promise<Bytes> };
  encodedBytes: number;
}

type Bytes = Uint8Array<ArrayBuffer>;

/** What a background request is to render, and what it rendered (null: nothing kept). */
interface BackgroundRender {
  key: string;
  version: string;
  bucket: number;
  entry: Entry | null;
}

const OVERHEAD_BYTES = 1024;
/** A background render that failed is tried again after this long. */
const RETRY_MS = 1_000;
/** Below this a body goes as is (as Hono's compress() does). */
const COMPRESS_MIN_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|xml|javascript)|image\/svg\+xml)/i;
/** Headers the cache sets itself, or that describe one request's body only. */
const NOT_KEPT = new Set([
  "cache-control",
  "etag",
  "vary",
  "content-length",
  "content-encoding",
  "date",
]);

export function responseCache(opts: ResponseCacheOptions): ResponseCache {
  const bucketMs = opts.bucketMs ?? 10_000;
  const minAgeMs = opts.minAgeMs ?? 2_000;
  const maxStaleMs = opts.maxStaleMs ?? 5_000;
  const lru = createLru<Entry>({
    maxEntries: opts.maxEntries ?? 512,
    maxBytes: opts.maxBytes ?? 64 * 1024 * 1024,
    size: (e) => OVERHEAD_BYTES + e.key.length + e.body.length + e.encodedBytes,
  });
  const renders = new Map<string, Promise<Entry | null>>();
  const log = opts.log ?? console.error;
  let hits = 0;
  let rendered = 0;

  const encodedBody = (e: Entry, encoding: "br" | "gzip"): Promise<Bytes> => {
    const existing = e.encoded[encoding];
    if (existing) return existing;
    const made = compressBody(e.body, encoding);
    e.encoded[encoding] = made;
    made.then((bytes) => {
      e.encodedBytes += bytes.length;
      lru.resized(e.key);
    }, () => delete e.encoded[encoding]);
    return made;
  };

  const respond = async (c: Context, e: Entry, kind: CacheKind): Promise<Response> => {
    const headers = new Headers(e.headers);
    headers.set("ETag", e.etag);
    headers.set("Cache-Control", CACHE_CONTROL[kind]);
    headers.set("Vary", VARY[kind]);
    if (etagMatches(c.req.header("If-None-Match"), e.etag)) {
      return new Response(null, { status: 304, headers });
    }
    let body = e.body;
    const encoding = e.compressible && e.body.length >= COMPRESS_MIN_BYTES
      ? chooseEncoding(c.req.header("Accept-Encoding"))
      : "identity";
    if (encoding !== "identity") {
      try {
        body = await encodedBody(e, encoding);
        headers.set("Content-Encoding", encoding);
      } catch (err) {
        log(`response cache: ${encoding} failed: ${(err as Error).message}`);
      }
    }
    headers.set("Content-Length", String(body.length));
    return new Response(body, { status: 200, headers });
  };

  const render = async (
    c: Context,
    next: Next,
    key: string,
    version: string,
    bucket: number,
    encodeFirst = false,
  ): Promise<Entry | null> => {
    await next();
    const res = c.res;
    if (
      res.status !== 200 || res.headers.has("Set-Cookie") || res.headers.has("Content-Encoding")
    ) {
      return null; // c.res stays the handler's own response
    }
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = [...res.headers].filter(([name]) => !NOT_KEPT.has(name.toLowerCase()));
    const entry: Entry = {
      key,
      version,
      bucket,
      renderedAt: opts.now(),
      currentAt: opts.now(),
      retryAt: 0,
      headers,
      etag: await etagOf(body),
      body,
      compressible: COMPRESSIBLE.test(res.headers.get("Content-Type") ?? ""),
      encoded: {},
      encodedBytes: 0,
    };
    if (encodeFirst && entry.compressible && body.length >= COMPRESS_MIN_BYTES) {
      // In the background: encoded before it replaces the previous entry, so that no request
      // waits on brotli for it (failures fall back to encoding on demand).
      await Promise.allSettled([encodedBody(entry, "br"), encodedBody(entry, "gzip")]);
    }
    rendered++;
    lru.set(key, entry);
    return entry;
  };

  /** Background requests (made by `refetch`): the middleware renders them and keeps the entry. */
  const background = new WeakMap<Request, BackgroundRender>();
  let stale = 0;
  let backgroundRenders = 0;
  let backgroundFailures = 0;
  let backgroundInFlight = 0;
  const maxBackground = opts.maxBackgroundRenders ?? 2;
  /** Background renders waiting for a free slot, first come first served. */
  const waiting: ((value: unknown) => void)[] = [];

  /** One background render of `key`, after this request's answer is on its way. */
  const revalidate = (c: Context, key: string, kept: Entry, version: string, bucket: number) => {
    const refetch = opts.refetch;
    if (!refetch || renders.has(key)) return;
    const headers = new Headers(c.req.raw.headers);
    // Its answer is read by no one: nothing to compress, nothing to revalidate.
    headers.delete("accept-encoding");
    headers.delete("if-none-match");
    const request = new Request(c.req.url, { method: "GET", headers });
    const asked: BackgroundRender = { key, version, bucket, entry: null };
    background.set(request, asked);
    const path = new URL(c.req.url).pathname;
    const env = c.env;
    const job = (async (): Promise<Entry | null> => {
      await new Promise((r) => setTimeout(r, 0)); // let the stale answer go out first
      while (backgroundInFlight >= maxBackground) await new Promise((r) => waiting.push(r));
      backgroundInFlight++;
      try {
        const res = await refetch(request, env);
        await res.body?.cancel();
        if (!asked.entry) throw new Error(`HTTP ${res.status}`);
        backgroundRenders++;
        return asked.entry;
      } catch (err) {
        backgroundFailures++;
        if (kept.retryAt === 0) {
          log(
            `response cache: rendering ${path} again failed (${(err as Error).message}); ` +
              `serving the previous answer for up to ${maxStaleMs / 1000} s`,
          );
        }
        kept.retryAt = opts.now() + RETRY_MS;
        return null;
      } finally {
        backgroundInFlight--;
        waiting.shift()?.(undefined);
      }
    })();
    renders.set(key, job);
    job.finally(() => {
      if (renders.get(key) === job) renders.delete(key);
    });
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return await next();
    const mine = background.get(c.req.raw);
    if (mine) {
      // A background render: keep what the routes answer; the answer itself goes nowhere.
      mine.entry = await render(c, next, mine.key, mine.version, mine.bucket, true);
      return mine.entry ? send(c, new Response(null, { status: 204 })) : undefined;
    }
    const url = new URL(c.req.url);
    const kind = cacheKindOf(url.pathname);
    const target = url.pathname + url.search;
    if (!kind || target.length > MAX_CACHED_URL) return await next();

    let version: string;
    try {
      version = await opts.version();
    } catch (err) {
      log(`response cache: data version unavailable: ${(err as Error).message}`);
      return await next();
    }
    const now = opts.now();
    const bucket = Math.floor(now / bucketMs);
    const key = kind === "page"
      ? `${themeFromCookie(c.req.header("cookie")) ?? "-"} ${target}`
      : target;

    const kept = lru.get(key);
    if (kept && kept.bucket === bucket && kept.version === version) {
      kept.currentAt = Math.max(kept.currentAt, now);
    }
    const young = (e: Entry) => e.renderedAt <= now && now - e.renderedAt < minAgeMs;
    if (kept && kept.bucket === bucket && (kept.version === version || young(kept))) {
      hits++;
      return send(c, await respond(c, kept, kind));
    }
    // Known current until then: its version's last sighting, and never past its bucket's end.
    const staleFor = kept ? now - Math.min(kept.currentAt, (kept.bucket + 1) * bucketMs) : Infinity;
    const pending = renders.get(key);
    if (kept && staleFor <= maxStaleMs) {
      if (!pending && now >= kept.retryAt) revalidate(c, key, kept, version, bucket);
      if (opts.refetch || renders.has(key)) {
        hits++;
        stale++;
        return send(c, await respond(c, kept, kind));
      }
    }
    if (pending) {
      const entry = await pending;
      if (!entry) return await next(); // what it rendered is not kept (an error, a 404)
      hits++;
      return send(c, await respond(c, entry, kind));
    }
    const job = render(c, next, key, version, bucket);
    renders.set(key, job);
    let entry: Entry | null;
    try {
      entry = await job;
    } finally {
      renders.delete(key);
    }
    if (!entry) return; // c.res: the handler's response, untouched
    return send(c, await respond(c, entry, kind));
  };

  return {
    middleware,
    stats: () => ({
      entries: lru.entries,
      bytes: lru.bytes,
      hits,
      renders: rendered,
      stale,
      background: backgroundRenders,
      backgroundFailures,
    }),
  };
}

/**
 * Makes `res` the response. Hono's `c.res = …` copies the previous response's headers over the
 * new one (the handler's `no-store` would win): clear it first.
 */
function send(c: Context, res: Response): Response {
  c.res = undefined;
  c.res = res;
  return res;
}

/** A weak ETag from the body's SHA-256: the same for every encoding of the same body. */
async function etagOf(body: Bytes): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const b64 = btoa(String.fromCharCode(...digest.subarray(0, 16)));
  return `W/"${b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}"`;
}

/** If-None-Match's weak comparison: `*`, or any listed tag equal once `W/` is set aside. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}
