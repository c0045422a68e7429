/**
 * Which responses the response cache keeps, and what it tells browsers and proxies about them.
 *
 * Pages and the read-only JSON API: a short `max-age` with `stale-while-revalidate` (a
 * revalidation costs one ETag comparison). Never: `/healthz` (it must say how the database is
 * now), `POST /api/scan`, exports (downloads, `no-store`), and the endpoints that set their own
 * caching (`/metrics`, `/feed.xml`, badges). Errors are never kept (the cache keeps only 200s).
 */
export type CacheKind = "page" | "api";

const API_PREFIXES = ["/api/models/"];
const API_PATHS = new Set([
  "/api/summary",
  "/api/models",
  "/api/runs",
  "/api/events",
  "/api/recommend",
  "/api/openrouter-stats",
  "/openapi.json",
]);

export function cacheKindOf(path: string): CacheKind | null {
  if (path === "/" || path === "/runs" || path.startsWith("/models/")) return "page";
  if (API_PATHS.has(path) || API_PREFIXES.some((p) => path.startsWith(p))) return "api";
  return null;
}

export const CACHE_CONTROL: Readonly<Record<CacheKind, string>> = {
  page: "public, max-age=10, stale-while-revalidate=60",
  api: "public, max-age=5, stale-while-revalidate=30",
};

/** A page's theme comes from a cookie (lib/web/layout.tsx); the API reads no header. */
export const VARY: Readonly<Record<CacheKind, string>> = {
  page: "Accept-Encoding, Cookie",
  api: "Accept-Encoding",
};

/** Longest path + query kept: longer URLs are answered, not cached. */
export const MAX_CACHED_URL = 1024;
