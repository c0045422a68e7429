/**
 * A chaos proxy in front of the fake OpenRouter, on raw TCP so that it can misbehave below
 * HTTP: connections closed before any byte, bytes that are not HTTP, a malformed response
 * head, bodies cut mid-way (cleanly or by dropping the connection), random bytes as SSE,
 * trickling bodies, 5xx pages, and requests that are never answered. Which fault a request
 * gets comes from a seeded generator, so a failing seed can be replayed.
 *
 *   const proxy = await startChaosProxy({ upstream: fake.url, seed: 7, faultRate: 0.5 });
 *   const client = createOpenRouterClient({ baseUrl: proxy.url, apiKey });
 */

export const FAULTS = [
  "reset",
  "not_http",
  "bad_head",
  "http_5xx",
  "garbage_sse",
  "truncate",
  "cut",
  "slow",
  "hang",
] as const;
export type Fault = typeof FAULTS[number];

export interface ChaosOptions {
  /** The fake's base URL (`http://127.0.0.1:PORT/api/v1`). */
  upstream: string;
  seed: number;
  /** Share of the targeted requests that get a fault (0–1). */
  faultRate: number;
  /** Which requests may get a fault (method and path); default: chat completions only. */
  target?: (method: string, path: string) => boolean;
  /** Only these faults (default: all). */
  faults?: readonly Fault[];
  /** The pause between two pieces of a `slow` body (default 150 ms). */
  slowPieceMs?: number;
}

export interface ChaosRecord {
  method: string;
  path: string;
  /** The `model` of a chat request, when there is one. */
  model: string | null;
  fault: Fault | "pass";
}

export interface ChaosProxy {
  /** Base URL to give the client (same path as the upstream's). */
  url: string;
  /** Every request, in arrival order, with what was done to it. */
  records: ChaosRecord[];
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG, good enough to pick faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface ParsedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
}

export function startChaosProxy(opts: ChaosOptions): Promise<ChaosProxy> {
  const upstream = new URL(opts.upstream);
  const random = seededRandom(opts.seed);
  const faults = opts.faults ?? FAULTS;
  const target = opts.target ??
    ((method: string, path: string) => method === "POST" && path.includes("/chat/completions"));
  const slowPieceMs = opts.slowPieceMs ?? 150;
  const records: ChaosRecord[] = [];
  const closing = new AbortController();
  const conns = new Set<Deno.Conn>();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      closing.signal.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(timer);
        closing.signal.removeEventListener("abort", done);
        resolve();
      }
    });

  const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

  async function serve(conn: Deno.Conn): Promise<void> {
    conns.add(conn);
    try {
      const req = await readRequest(conn);
      if (!req) return;
      const model = chatModel(req.body);
      const fault: Fault | "pass" = target(req.method, req.path) && random() < opts.faultRate
        ? faults[Math.floor(random() * faults.length)]
        : "pass";
      records.push({ method: req.method, path: req.path, model, fault });
      await respond(conn, req, fault);
    } catch {
      // The client went away, or the proxy is closing: nothing to answer.
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  }

  async function respond(conn: Deno.Conn, req: ParsedRequest, fault: Fault | "pass") {
    switch (fault) {
      case "reset":
        return; // closed by serve() without a byte
      case "not_http":
        await conn.write(randomBytes(64 + Math.floor(random() * 400)));
        return;
      case "bad_head":
        await conn.write(encoder.encode("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n{}"));
        return;
      case "http_5xx": {
        const status = [500, 502, 503, 504][Math.floor(random() * 4)];
        const html = `<html><body><h1>${status}</h1>nginx</body></html>`;
        await writeHead(conn, status, { "content-type": "text/html" });
        await writeChunk(conn, encoder.encode(html));
        await conn.write(encoder.encode("0\r\n\r\n"));
        return;
      }
      case "garbage_sse":
        await writeHead(conn, 200, { "content-type": "text/event-stream" });
        await writeChunk(conn, encoder.encode(": OPENROUTER PROCESSING\n\ndata: "));
        await writeChunk(conn, randomBytes(32 + Math.floor(random() * 500)));
        await writeChunk(conn, encoder.encode("\n\n"));
        await conn.write(encoder.encode("0\r\n\r\n"));
        return;
      case "hang":
        // Never answer; wait for the client to give up (its read ends) or the proxy to close.
        await Promise.race([conn.read(new Uint8Array(1)), sleep(2 ** 31 - 1)]);
        return;
    }
    const res = await fetch(new URL(req.path, upstream.origin), {
      method: req.method,
      headers: forwardHeaders(req.headers),
      body: req.body.length > 0 ? req.body : undefined,
      signal: closing.signal,
    });
    const body = new Uint8Array(await res.arrayBuffer());
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (!["content-length", "transfer-encoding", "connection", "content-encoding"].includes(k)) {
        headers[k] = v;
      }
    });
    await writeHead(conn, res.status, headers);
    switch (fault) {
      case "pass":
        if (body.length > 0) await writeChunk(conn, body);
        await conn.write(encoder.encode("0\r\n\r\n"));
        return;
      case "truncate": // a clean end, early
        await writeChunk(conn, body.subarray(0, Math.floor(random() * body.length)));
        await conn.write(encoder.encode("0\r\n\r\n"));
        return;
      case "cut": // the connection drops mid-body
        await writeChunk(conn, body.subarray(0, Math.floor(random() * body.length)));
        return;
      case "slow": {
        const piece = 24;
        for (let at = 0; at < body.length && !closing.signal.aborted; at += piece) {
          await writeChunk(conn, body.subarray(at, at + piece));
          await sleep(slowPieceMs);
        }
        await conn.write(encoder.encode("0\r\n\r\n"));
        return;
      }
    }
  }

  const accepting = (async () => {
    try {
      for await (const conn of listener) serve(conn);
    } catch {
      // listener closed
    }
  })();

  // A promise, like the fake's start: callers await both the same way.
  return Promise.resolve({
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, "")}`,
    records,
    async close() {
      closing.abort();
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      await accepting;
    },
  });
}

async function writeHead(conn: Deno.Conn, status: number, headers: Record<string, string>) {
  const lines = [`HTTP/1.1 ${status} ${status < 400 ? "OK" : "Error"}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push("transfer-encoding: chunked", "connection: close", "", "");
  await writeAll(conn, encoder.encode(lines.join("\r\n")));
}

async function writeChunk(conn: Deno.Conn, bytes: Uint8Array) {
  if (bytes.length === 0) return;
  await writeAll(conn, encoder.encode(`${bytes.length.toString(16)}\r\n`));
  await writeAll(conn, bytes);
  await writeAll(conn, encoder.encode("\r\n"));
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array) {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

function forwardHeaders(headers: Headers): Headers {
  const out = new Headers();
  headers.forEach((v, k) => {
    if (!["host", "connection", "content-length", "transfer-encoding", "keep-alive"].includes(k)) {
      out.set(k, v);
    }
  });
  return out;
}

function chatModel(body: Uint8Array): string | null {
  try {
    const parsed = JSON.parse(decoder.decode(body));
    return typeof parsed?.model === "string" ? parsed.model : null;
  } catch {
    return null;
  }
}

/** One HTTP/1.1 request: the head up to the blank line, then Content-Length bytes of body. */
async function readRequest(conn: Deno.Conn): Promise<ParsedRequest | null> {
  let buf: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  let headEnd = -1;
  while (headEnd < 0) {
    const chunk = new Uint8Array(16 * 1024);
    const n = await conn.read(chunk);
    if (n === null) return null;
    buf = concat(buf, chunk.subarray(0, n));
    headEnd = indexOfBlankLine(buf);
    if (buf.length > 1024 * 1024) return null;
  }
  const [requestLine, ...headerLines] = decoder.decode(buf.subarray(0, headEnd)).split("\r\n");
  const [method, path] = requestLine.split(" ");
  const headers = new Headers();
  for (const line of headerLines) {
    const i = line.indexOf(":");
    if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  const length = Number(headers.get("content-length") ?? "0") || 0;
  let body = buf.subarray(headEnd + 4);
  while (body.length < length) {
    const chunk = new Uint8Array(16 * 1024);
    const n = await conn.read(chunk);
    if (n === null) return null;
    body = concat(body, chunk.subarray(0, n));
  }
  return { method, path, headers, body: body.subarray(0, length) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function indexOfBlankLine(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}
