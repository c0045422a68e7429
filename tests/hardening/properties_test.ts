/**
 * Malformed or oversized requests to any endpoint are 4xx, never 5xx: fast-check properties
 * over every path and parameter the OpenAPI document lists (so endpoints added later are
 * covered without touching this file), the pages' parameters, arbitrary paths, methods,
 * headers and bodies; and raw HTTP that no client library would send, on a real socket.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createApp } from "../../routes/app.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { fakeScanner, IDLE, NOW } from "../routes/pages_helpers.ts";
import { openTestStore, seedStore } from "../seed.ts";
import { ADMIN_TOKEN } from "./app_world.ts";

const H = 3_600_000;
const IDS = [
  "meta-llama/llama-3.3-70b-instruct:free",
  "a/b c?d#e%:free",
  "evil/<script>x</script>:free",
  "unicode/模型-🦙:free",
];

/** What one request may look like; all parts are arbitrary. */
interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

interface OpenApiParam {
  name: string;
  in: string;
  required?: boolean;
  schema?: {
    type?: string;
    enum?: string[];
    minimum?: number;
    maximum?: number;
    maxLength?: number;
  };
}

async function world() {
  const db = await openTestStore();
  await seedStore(db.store, {
    models: IDS.map((id) => ({ id, name: id })),
    checks: IDS.flatMap((id, i) => [
      { model_id: id, checked_at: NOW - 3 * H, status: "ok" as const, latency_ms: 500 + i },
      { model_id: id, checked_at: NOW - H, status: "unavailable" as const, http_status: 502 },
    ]),
  });
  const deps: AppDeps = {
    store: db.store,
    scanner: { ...fakeScanner(IDLE), requestScan: () => Promise.resolve("busy") },
    now: () => NOW,
    adminToken: ADMIN_TOKEN,
  };
  const logs: string[] = [];
  const app = createApp(deps, (m) => logs.push(m));
  return { db, app, logs };
}

/** Odd text: unicode, control characters, percent signs (valid escapes or not), huge runs. */
const oddText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "%",
    "%zz",
    "%E0%A4%A",
    "%00",
    "%2F",
    "%252F",
    "..",
    "../..",
    "//",
    "\\",
    "NaN",
    "Infinity",
    "-1",
    "0",
    "1e309",
    "9".repeat(400),
    "0x10",
    "1.5",
    " 7 ",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "'; DROP TABLE checks; --",
  ),
  fc.string({ maxLength: 5 }).map((s) => s.repeat(3000)),
);

/** A value for one parameter: valid for its schema, or anything at all. */
function paramValue(p: OpenApiParam): fc.Arbitrary<string> {
  const s = p.schema ?? {};
  const valid: fc.Arbitrary<string>[] = [];
  if (p.name === "model_id") valid.push(fc.constantFrom(...IDS));
  if (s.enum) valid.push(fc.constantFrom(...s.enum));
  if (s.type === "integer" || s.type === "number") {
    const min = s.minimum ?? -1e6;
    const max = s.maximum ?? 1e6;
    valid.push(fc.integer({ min, max }).map(String));
    valid.push(fc.integer({ min: min - 1000, max: max + 1000 }).map(String));
  }
  if (s.type === "string" && s.maxLength) {
    valid.push(fc.string({ maxLength: s.maxLength + 5 }));
  }
  return fc.oneof(...valid, oddText);
}

function encodePathValue(value: string, raw: boolean): string {
  if (!raw) return encodeURIComponent(value);
  // Raw, as a user might paste it: only what would break the URL itself is escaped.
  return value.replace(/[?#%\s]/g, (c) => encodeURIComponent(c));
}

/** A request to one documented GET operation, its parameters filled in (or left out). */
function operationProbe(path: string, params: OpenApiParam[]): fc.Arbitrary<Probe> {
  const query = params.filter((p) => p.in === "query");
  const inPath = params.filter((p) => p.in === "path");
  return fc.record({
    pathValues: fc.tuple(...inPath.map(paramValue), fc.boolean()),
    queryValues: fc.tuple(
      ...query.map((p) => fc.option(fc.array(paramValue(p), { minLength: 1, maxLength: 3 }))),
    ),
    junk: fc.option(fc.constantFrom("&%zz=1", "&=", "&&&", "&limit", "&range=%E0%A4%A", "&a[b]=c")),
  }).map(({ pathValues, queryValues, junk }) => {
    const raw = pathValues.at(-1) as boolean;
    let url = path;
    inPath.forEach((p, i) => {
      url = url.replace(`{${p.name}}`, encodePathValue(pathValues[i] as string, raw));
    });
    const search = new URLSearchParams();
    query.forEach((p, i) => {
      for (const v of queryValues[i] ?? []) search.append(p.name, v);
    });
    const qs = search.toString() + (junk ?? "");
    return { method: "GET", path: qs ? `${url}?${qs}` : url, headers: {}, body: null };
  });
}

/** The pages and their parameters. */
const pageProbe: fc.Arbitrary<Probe> = fc.oneof(
  fc.record({ q: oddText, status: oddText, sort: oddText }).map((q) => ({
    method: "GET",
    path: `/?${new URLSearchParams(q)}`,
    headers: {},
    body: null,
  })),
  fc.record({ id: fc.oneof(fc.constantFrom(...IDS), oddText), range: oddText, raw: fc.boolean() })
    .map(({ id, range, raw }) => ({
      method: "GET",
      path: `/models/${encodePathValue(id, raw)}?range=${encodeURIComponent(range)}`,
      headers: {},
      body: null,
    })),
  fc.record({ page: oddText }).map(({ page }) => ({
    method: "GET",
    path: `/runs?page=${encodeURIComponent(page)}`,
    headers: {},
    body: null,
  })),
);

/** Anything: any method, any path under any prefix, odd headers, a body of any size. */
const anyProbe: fc.Arbitrary<Probe> = fc.record({
  method: fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
  prefix: fc.constantFrom(
    "/",
    "/api/",
    "/api/models/",
    "/api/scan/",
    "/models/",
    "/static/",
    "/static/build/",
    "/runs/",
    "/openapi.json/",
    "/healthz/",
  ),
  segments: fc.array(oddText, { maxLength: 4 }),
  suffix: fc.constantFrom("", "/", "/history", "?x=1", "?range=%zz"),
  headers: fc.record({
    Authorization: fc.oneof(
      oddText,
      fc.constant(`Bearer ${ADMIN_TOKEN}`),
      oddText.map((s) => `Bearer ${s}`),
    ),
    Cookie: fc.oneof(oddText, oddText.map((s) => `scouter-theme=${s}`)),
    "Accept-Encoding": fc.constantFrom("gzip", "br", "identity", "*", "gzip;q=0, br;q=abc"),
    "Content-Type": fc.constantFrom("application/json", "text/plain", "multipart/form-data"),
    "If-None-Match": oddText,
    Range: fc.constantFrom("bytes=0-10", "bytes=-1", "bytes=999999999-", "nonsense"),
  }, { requiredKeys: [] }),
  body: fc.option(fc.oneof(oddText, fc.nat({ max: 200_000 }).map((n) => "x".repeat(n)))),
}).map(({ method, prefix, segments, suffix, headers, body }) => ({
  method,
  path: prefix + segments.map((s) => encodePathValue(s, true)).join("/") + suffix,
  headers: Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, v.replace(/[\r\n\0]/g, "")]),
  ),
  body: method === "GET" || method === "HEAD" ? null : body,
}));

async function send(app: ReturnType<typeof createApp>, probe: Probe): Promise<Response> {
  let url: URL;
  try {
    url = new URL(probe.path, "http://localhost");
  } catch {
    fc.pre(false); // not a URL any client could send
    throw new Error("unreachable");
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(probe.headers)) {
    try {
      headers.set(k, v);
    } catch {
      // a header value no client could send
    }
  }
  return await app.request(url.href, { method: probe.method, headers, body: probe.body });
}

/** The property: a 4xx or less, and on the API a JSON error body that names the problem. */
async function assertNoServerError(probe: Probe, res: Response): Promise<void> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const encoding = res.headers.get("content-encoding");
  const text = new TextDecoder().decode(
    encoding === "gzip"
      ? gunzipSync(bytes)
      : encoding === "br"
      ? brotliDecompressSync(bytes)
      : bytes,
  );
  const label = `${probe.method} ${probe.path.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`;
  assert.ok(res.status < 500, label);
  const path = new URL(probe.path, "http://localhost").pathname;
  const api = path.startsWith("/api/") || path === "/openapi.json" || path === "/healthz";
  if (api && res.status >= 400 && probe.method !== "HEAD") {
    const body = JSON.parse(text);
    assert.equal(typeof body.error, "string", label);
    assert.ok(body.error.length > 0, label);
  }
}

Deno.test("every API parameter and path: any value is a 2xx or a 4xx, never a 5xx", async () => {
  const { db, app, logs } = await world();
  await using _ = db;
  const doc = await (await app.request("/openapi.json")).json();
  const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .filter(([, ops]) => "get" in ops)
    .map(([path, ops]) => ({
      path,
      params: (ops.get as { parameters?: OpenApiParam[] }).parameters ?? [],
    }));
  assert.ok(operations.length >= 6, "the document lists the API");
  assert.ok(operations.some((o) => o.params.some((p) => p.in === "query")));
  for (const op of operations) {
    await fc.assert(
      fc.asyncProperty(operationProbe(op.path, op.params), async (probe) => {
        await assertNoServerError(probe, await send(app, probe));
      }),
      { numRuns: 150 },
    );
  }
  // Valid values give a 200 (the ids exist): the generator does reach the handlers.
  for (const op of operations.filter((o) => o.path.includes("{model_id}"))) {
    const res = await app.request(op.path.replace("{model_id}", encodeURIComponent(IDS[1])));
    assert.equal(res.status, 200, op.path);
    await res.body?.cancel();
  }
  assert.deepEqual(logs, [], "no request failed inside");
});

Deno.test("every page and its parameters: never a 5xx", async () => {
  const { db, app, logs } = await world();
  await using _ = db;
  await fc.assert(
    fc.asyncProperty(pageProbe, async (probe) => {
      await assertNoServerError(probe, await send(app, probe));
    }),
    { numRuns: 300 },
  );
  assert.deepEqual(logs, []);
});

Deno.test("any method, path, header and body: never a 5xx", async () => {
  const { db, app, logs } = await world();
  await using _ = db;
  await fc.assert(
    fc.asyncProperty(anyProbe, async (probe) => {
      const res = await send(app, probe);
      await assertNoServerError(probe, res);
      if ((probe.body?.length ?? 0) > 64 * 1024) assert.equal(res.status, 413, probe.path);
    }),
    { numRuns: 500 },
  );
  assert.deepEqual(logs, []);
});

Deno.test("raw HTTP no client would send: a 4xx or a closed connection, never a 5xx", async () => {
  const { db, app } = await world();
  await using _ = db;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const raw = async (request: string | Uint8Array): Promise<number | null> => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    try {
      const bytes = typeof request === "string" ? new TextEncoder().encode(request) : request;
      let off = 0;
      while (off < bytes.length) off += await conn.write(bytes.subarray(off));
      const buf = new Uint8Array(256);
      const n = await conn.read(buf);
      if (n === null) return null;
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(new TextDecoder().decode(buf.subarray(0, n)));
      return m ? Number(m[1]) : null;
    } catch {
      return null; // reset by the server
    } finally {
      conn.close();
    }
  };
  const cases: [string, string | Uint8Array][] = [
    ["a 100 KB path", `GET /models/${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ["a 30 KB API id", `GET /api/models/${"%41".repeat(10_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ["a 1 MB header", `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(1 << 20)}\r\n\r\n`],
    ["500 headers", `GET / HTTP/1.1\r\nHost: x\r\n${"X-A: b\r\n".repeat(500)}\r\n`],
    [
      "raw bytes in the path",
      new Uint8Array([
        ...new TextEncoder().encode("GET /models/"),
        0xff,
        0xfe,
        0x80,
        ...new TextEncoder().encode(" HTTP/1.1\r\nHost: x\r\n\r\n"),
      ]),
    ],
    [
      "a malformed escape",
      "GET /api/models/%E0%A4%A/history?limit=%zz HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
    ["not HTTP", "\x00\x01\x02 hello\r\n\r\n"],
    ["HTTP/9", "GET / HTTP/9.9\r\nHost: x\r\n\r\n"],
    ["an odd method", "BREW /api/models HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["a bad Content-Length", "POST /api/scan HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"],
    [
      "a lying Content-Length",
      "POST /api/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc",
    ],
    [
      "a huge chunked body",
      `POST /api/scan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${
        `4000\r\n${"x".repeat(0x4000)}\r\n`.repeat(8)
      }0\r\n\r\n`,
    ],
    ["an absolute URL", "GET http://evil.example/api/models HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["an asterisk", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"],
  ];
  const got: Record<string, number | null> = {};
  for (const [what, request] of cases) {
    const status = await raw(request);
    got[what] = status;
    assert.ok(status === null || (status >= 200 && status < 500), `${what}: ${status}`);
  }
  assert.equal(got["a lying Content-Length"], 413);
  assert.equal(got["a huge chunked body"], 413);
  await server.shutdown();
});
