/**
 * Serving /static/*: built files (content-hashed names) are cached forever, anything else
 * briefly. Only plain file names of known types are served; every path segment is checked
 * after decoding, so `..`, encoded slashes and dot-files are 404s.
 *
 *   app.get("/static/*", staticHandler());
 *
 * Built .js/.css are precompressed (.br/.gz beside them) and sent as such when the client
 * accepts it; the Content-Encoding header also keeps Hono's compress() from redoing it.
 */
import type { Context } from "hono";
import { extname, join, sep } from "node:path";
import { BUILD_DIR, HASHED_NAME, STATIC_DIR } from "./manifest.ts";

export interface StaticOptions {
  /** Served at /static/; static/ by default. */
  staticDir?: string;
  /** Served at /static/build/; static/build/ by default. */
  buildDir?: string;
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT = "public, max-age=300";

/** Decoded path segments after /static/, or null if any is not a plain file name. */
function segments(pathname: string): string[] | null {
  if (!pathname.startsWith("/static/")) return null;
  const parts: string[] = [];
  for (const raw of pathname.slice("/static/".length).split("/")) {
    let part: string;
    try {
      part = decodeURIComponent(raw);
    } catch {
      return null; // malformed escape
    }
    if (part === "" || part.startsWith(".") || /[/\\\0]/.test(part)) return null;
    parts.push(part);
  }
  return parts;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

export function staticHandler(options: StaticOptions = {}) {
  const staticDir = options.staticDir ?? STATIC_DIR;
  const buildDir = options.buildDir ?? BUILD_DIR;

  return async (c: Context): Promise<Response> => {
    // The raw (still percent-encoded) path: decoding it ourselves, segment by segment, is
    // what makes an encoded "/" or ".." harmless.
    const parts = segments(new URL(c.req.url).pathname);
    const type = parts && TYPES[extname(parts.at(-1)!).toLowerCase()];
    if (!parts || !type) return c.notFound();

    const built = parts[0] === "build";
    const base = built ? buildDir : staticDir;
    const path = join(base, ...(built ? parts.slice(1) : parts));
    if (!path.startsWith(base + sep) || !await isFile(path)) return c.notFound();

    const hashed = built && parts.length === 2 && HASHED_NAME.test(parts[1]);
    const headers = new Headers({
      "Content-Type": type,
      "Cache-Control": hashed ? IMMUTABLE : SHORT,
      "X-Content-Type-Options": "nosniff",
    });
    let file = path;
    if (hashed) {
      headers.set("Vary", "Accept-Encoding");
      const accepted = c.req.header("Accept-Encoding") ?? "";
      for (const [encoding, ext] of [["br", ".br"], ["gzip", ".gz"]]) {
        if (new RegExp(`\\b${encoding}\\b`).test(accepted) && await isFile(path + ext)) {
          file = path + ext;
          headers.set("Content-Encoding", encoding);
          break;
        }
      }
    }
    const body = await Deno.readFile(file);
    headers.set("Content-Length", String(body.length));
    return new Response(body, { headers });
  };
}
