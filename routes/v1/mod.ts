/**
 * /v1: the OpenAI-compatible router's HTTP (thin; the routing is lib/router). Mounted before
 * the app's own middleware: it sets the security headers itself, takes larger bodies than the
 * rest of the app (chat requests carry whole conversations), and is never compressed or cached.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { getConnInfo } from "hono/deno";
import { SECURITY_HEADERS } from "../../lib/web/security.ts";
import type { Router, RouterReply } from "../../lib/router/router.ts";
import { bearerToken, tokensMatch } from "../api/auth.ts";

export interface V1Options {
  /** null: the router is off and every /v1 path says how to turn it on. */
  router: Router | null;
  token: string | null;
  /** Requests one client address may have in flight. */
  clientConcurrency: number;
  /** Origins a browser may call from; `*` any; empty: no CORS headers at all. */
  corsOrigins: readonly string[];
  maxBodyBytes?: number;
  log?: (message: string) => void;
}

export const V1_MAX_BODY_BYTES = 4 * 1024 * 1024;

const DISABLED = "The router is off. Set OPENROUTER_SCOUT_ROUTER_TOKEN (at least 16 characters) " +
  "on the Scouter server and restart, then send `Authorization: Bearer <that token>`.";

export function createV1(opts: V1Options): Hono {
  const app = new Hono();
  const maxBody = opts.maxBodyBytes ?? V1_MAX_BODY_BYTES;
  const inFlight = new Map<string, number>();
  const log = opts.log ?? console.error;

  app.use("/v1/*", async (c, next) => {
    await next();
    let res = c.res;
    try {
      decorate(res.headers, c, opts.corsOrigins);
    } catch {
      res = new Response(res.body, res); // immutable headers
      decorate(res.headers, c, opts.corsOrigins);
      c.res = res;
    }
  });

  app.all("/v1/*", async (c, next) => {
    if (!opts.router || !opts.token) return error(c, 404, DISABLED, "router_disabled");
    if (c.req.method === "OPTIONS" && opts.corsOrigins.length > 0) return c.body(null, 204);
    const given = bearerToken(c.req.header("authorization"));
    if (given === null || !await tokensMatch(given, opts.token)) {
      return error(
        c,
        401,
        "Missing or wrong router token (Authorization: Bearer …).",
        "invalid_api_key",
        "authentication_error",
      );
    }
    await next();
  });

  app.get("/v1/models", async (c) => {
    const data = await opts.router!.models();
    return c.json({ object: "list", data });
  });

  app.post("/v1/chat/completions", async (c) => {
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > maxBody) return tooLarge(c, maxBody);
    const text = await readCapped(c.req.raw, maxBody);
    if (text === null) return tooLarge(c, maxBody);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return error(c, 400, "The request body is not valid JSON.", "invalid_json");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return error(c, 400, "The request body must be a JSON object.", "invalid_body");
    }
    const req = body as Record<string, unknown>;
    if (!Array.isArray(req.messages) || req.messages.length === 0) {
      return error(c, 400, "`messages` is required: a non-empty array.", "missing_messages");
    }
    const client = clientOf(c);
    const busy = inFlight.get(client) ?? 0;
    if (busy >= opts.clientConcurrency) {
      c.header("Retry-After", "1");
      return error(
        c,
        429,
        `At most ${opts.clientConcurrency} routed requests at once per client.`,
        "too_many_concurrent_requests",
        "rate_limit_error",
      );
    }
    inFlight.set(client, busy + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (inFlight.get(client) ?? 1) - 1;
      if (n <= 0) inFlight.delete(client);
      else inFlight.set(client, n);
    };
    try {
      const reply = await opts.router!.complete(req, c.req.raw.signal);
      return toResponse(reply, release);
    } catch (err) {
      release();
      throw err;
    }
  });

  app.onError((err, c) => {
    // Never the request's content or the token: the path and the error's message only.
    log(`error serving ${c.req.method} ${new URL(c.req.url).pathname}: ${err.message}`);
    return c.json({ error: { message: "internal error", type: "server_error", code: 500 } }, 500);
  });

  app.all(
    "/v1/*",
    (c) => error(c, 404, `No route ${c.req.method} ${new URL(c.req.url).pathname}.`, "not_found"),
  );
  return app;
}

function toResponse(reply: RouterReply, release: () => void): Response {
  if (typeof reply.body === "string") {
    release();
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  }
  const reader = reply.body.getReader();
  // The client's slot is held until its stream ends, however it ends.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        release();
        controller.error(err);
      }
    },
    async cancel(reason) {
      release();
      await reader.cancel(reason).catch(() => {});
    },
  });
  return new Response(body, { status: reply.status, headers: reply.headers });
}

function decorate(headers: Headers, c: Context, origins: readonly string[]): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  headers.set("Cache-Control", "no-store");
  const origin = c.req.header("origin");
  if (!origin || origins.length === 0) return;
  if (!origins.includes("*") && !origins.includes(origin)) return;
  headers.set("Access-Control-Allow-Origin", origins.includes("*") ? "*" : origin);
  headers.set("Vary", "Origin");
  headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  headers.set(
    "Access-Control-Expose-Headers",
    "X-Scouter-Model, X-Scouter-Attempts, X-Scouter-Route",
  );
}

function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // app.request() in tests has no connection
  }
}

/** The body as text, or null once it passes `max` bytes. */
async function readCapped(req: Request, max: number): Promise<string | null> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder().decode(all);
}

function tooLarge(c: Context, max: number): Response {
  return error(c, 413, `The request body is over ${max} bytes.`, "body_too_large");
}

function error(
  c: Context,
  status: 400 | 401 | 404 | 413 | 429,
  message: string,
  code: string,
  type = "invalid_request_error",
): Response {
  return c.json({ error: { message, type, code } }, status);
}
