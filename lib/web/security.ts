/**
 * Secure by default, on every response the app sends (pages, API, static files, 404s and
 * errors): a strict Content-Security-Policy and the usual hardening headers, and a cap on
 * request bodies (no endpoint takes more than a few bytes).
 *
 *   app.use(security());   // first, so that it wraps everything else
 *
 * The CSP allows scripts from this origin only: the islands' boot script is an external
 * module (lib/web/layout.tsx) and island props are `<script type="application/json">`, which
 * is data, never run — so no nonce or hash is needed, and any inline script that hostile
 * catalog data might smuggle into a page would be refused. `style-src` allows inline styles:
 * the server-rendered ECharts SVG carries `style` attributes (styles cannot run code).
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  // frame-ancestors says it for modern browsers; X-Frame-Options for the rest.
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** Largest request body any endpoint accepts (none reads one; POST /api/scan caps lower). */
export const MAX_BODY_BYTES = 64 * 1024;

/** The security middleware: body cap, then the headers on whatever response comes back. */
export function security(): MiddlewareHandler {
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge(MAX_BODY_BYTES) });
  return async (c, next) => {
    const early = await limit(c, next);
    if (early instanceof Response) c.res = early; // the 413: `next` was never called
    setHeaders(c);
  };
}

/** A 413 with the API's error shape, for Hono's bodyLimit `onError`. */
export function tooLarge(limit: number) {
  return (c: Context) => c.json({ error: `request body too large (at most ${limit} bytes)` }, 413);
}

/** Headers a route may choose itself: badges set `Cross-Origin-Resource-Policy: cross-origin`. */
const ROUTE_MAY_SET = new Set(["Cross-Origin-Resource-Policy"]);

function setHeaders(c: Context): void {
  const apply = (headers: Headers) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (ROUTE_MAY_SET.has(name) && headers.has(name)) continue;
      headers.set(name, value);
    }
  };
  try {
    apply(c.res.headers);
  } catch {
    // Immutable headers (a Response from fetch): copy the response, then set them.
    c.res = new Response(c.res.body, c.res);
    apply(c.res.headers);
  }
}
