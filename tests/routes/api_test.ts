import assert from "node:assert/strict";
import { Hono } from "hono";
import type { Store } from "../../lib/db/store.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import type { ScannerStatus, ScanRequestResult } from "../../lib/scan/status.ts";
import { SCOUTER_VERSION } from "../../lib/version.ts";
import { createApi } from "../../routes/api/mod.ts";
import { openTestStore, type SeedCheck, seedStore, type TestStore } from "../seed.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const H = 3_600_000;
const D = 24 * H;
const LLAMA = "meta-llama/llama-3.3-70b-instruct:free";
const LLAMA_ENCODED = "meta-llama%2Fllama-3.3-70b-instruct%3Afree";
const EVIL = "evil/<script>alert(1)</script>:free";
const EVIL_NAME = "<script>alert(1)</script>";
const ADMIN_TOKEN = "admin-token-0123456789abcdef";

const CHECKS: SeedCheck[] = [
  { model_id: LLAMA, checked_at: NOW - 10 * D, status: "ok", latency_ms: 900 },
  { model_id: LLAMA, checked_at: NOW - 3 * H, status: "ok", latency_ms: 800, ttft_ms: 300 },
  { model_id: LLAMA, checked_at: NOW - 2 * H, status: "rate_limited", http_status: 429 },
  { model_id: LLAMA, checked_at: NOW - H, status: "ok", latency_ms: 1200, ttft_ms: 500 },
  { model_id: "qwen/qwen3:free", checked_at: NOW - 2 * H, status: "unavailable" },
  { model_id: "qwen/qwen3:free", checked_at: NOW - H, status: "unavailable", http_status: 502 },
  { model_id: EVIL, checked_at: NOW - H, status: "ok", latency_ms: 700 },
];

interface FakeScanner {
  status(): Promise<ScannerStatus>;
  requestScan(): Promise<ScanRequestResult>;
  requests: number;
}

function fakeScanner(result: ScanRequestResult = "started"): FakeScanner {
  const scanner: FakeScanner = {
    requests: 0,
    status: () =>
      Promise.resolve({
        enabled: true,
        disabled_reason: null,
        schedule: "every 1 h",
        running: {
          run_id: 42,
          started_at: new Date(NOW - 60_000).toISOString(),
          progress: { done: 3, total: 10, ok: 2, failed: 1, skipped: 0, startedAt: NOW - 60_000 },
        },
        next_scan_at: new Date(NOW + H).toISOString(),
      }),
    requestScan: () => {
      scanner.requests++;
      return Promise.resolve(result);
    },
  };
  return scanner;
}

interface World {
  db: TestStore;
  app: Hono;
  scanner: FakeScanner;
  get(path: string, init?: RequestInit): Promise<Response>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The API mounted at `/`, as lib/web/app.ts mounts it, on a seeded store. */
async function world(
  opts: { adminToken?: string | null; scan?: ScanRequestResult; store?: Store } = {},
): Promise<World> {
  const db = await openTestStore();
  await seedStore(db.store, {
    models: [
      { id: LLAMA, name: "Meta: Llama 3.3 70B Instruct (free)", context_length: 131072 },
      { id: "qwen/qwen3:free", name: "Qwen: Qwen3 (free)" },
      { id: EVIL, name: EVIL_NAME },
      { id: "quiet/listed:free", name: "Quiet" },
    ],
    checks: CHECKS,
  });
  const scanner = fakeScanner(opts.scan);
  const deps: AppDeps = {
    store: opts.store ?? db.store,
    scanner,
    now: () => NOW,
    adminToken: opts.adminToken === undefined ? ADMIN_TOKEN : opts.adminToken,
  };
  const app = new Hono();
  app.route("/", createApi(deps));
  app.get("/", (c) => c.html("<p>dashboard</p>"));
  return {
    db,
    app,
    scanner,
    get: async (path, init) => await app.request(path, init),
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

async function json<T = unknown>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  return JSON.parse(text) as T;
}

async function error(res: Response, status: number, mentions?: RegExp): Promise<string> {
  const body = await json<Record<string, unknown>>(res, status);
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.equal(typeof body.error, "string");
  if (mentions) assert.match(body.error as string, mentions);
  return body.error as string;
}

type Obj = Record<string, unknown>;

Deno.test("GET /api/summary: the Python fields, the scanner's state, the last run", async () => {
  await using w = await world();
  const res = await w.get("/api/summary");
  assert.equal(res.headers.get("cache-control"), "no-store");
  const s = await json<Obj>(res);
  assert.equal(s.total_models, 4);
  assert.equal(s.healthy_count, 1); // evil (one ok check); llama is degraded (66.7 %)
  assert.equal(s.degraded_count, 1);
  assert.equal(
    (s.healthy_count as number) + (s.degraded_count as number) + (s.down_count as number) +
      (s.no_data_count as number),
    s.total_models,
  );
  assert.equal(s.down_count, 1); // qwen
  assert.equal(s.no_data_count, 1); // quiet
  assert.equal(s.last_updated, new Date(NOW - H).toISOString());
  assert.deepEqual(s.scanning, {
    enabled: true,
    disabled_reason: null,
    schedule: "every 1 h",
    running: {
      run_id: 42,
      started_at: new Date(NOW - 60_000).toISOString(),
      progress: { done: 3, total: 10, ok: 2, failed: 1, skipped: 0 },
    },
    next_scan_at: new Date(NOW + H).toISOString(),
  });
  const run = s.last_run as Obj;
  assert.equal(run.status, "completed");
  assert.equal(run.started_at, new Date(NOW - H).toISOString());
  assert.deepEqual(Object.keys(s.definitions as Obj), ["healthy", "degraded", "down", "no_data"]);
});

Deno.test("GET /api/models: every model with the Python fields; range, status and q", async () => {
  await using w = await world();
  const models = await json<Obj[]>(await w.get("/api/models"));
  assert.deepEqual(models.map((m) => m.model_id), [
    EVIL,
    LLAMA,
    "quiet/listed:free",
    "qwen/qwen3:free",
  ]);
  const llama = models[1];
  for (
    const field of [
      "model_id",
      "uptime_24h",
      "avg_latency_24h",
      "consecutive_failures",
      "latest_status",
      "sparkline_data",
    ]
  ) {
    assert.ok(field in llama, field);
  }
  assert.equal(llama.uptime_24h, 66.7);
  assert.equal(llama.avg_latency_24h, 1000);
  assert.equal(llama.consecutive_failures, 0);
  assert.equal(llama.latest_status, "OK");
  assert.deepEqual(llama.sparkline_data, [900, 800, null, 1200]);
  assert.equal(llama.health, "degraded");
  assert.equal("range_stats" in llama, false);
  const quiet = models[2];
  assert.equal(quiet.uptime_24h, null);
  assert.equal(quiet.avg_latency_24h, null);
  assert.equal(quiet.latest_status, null);

  const ranged = await json<Obj[]>(await w.get("/api/models?range=24h"));
  const stats = ranged[1].range_stats as Obj;
  assert.equal(stats.range, "24h");
  assert.equal(stats.uptime, 66.7);
  assert.equal(stats.p50_latency_ms, 800);
  assert.equal(stats.p95_latency_ms, 1200);
  assert.equal(stats.p50_ttft_ms, 300);
  assert.deepEqual(stats.failures_by_category, { rate_limited: 1 });
  assert.equal((ranged[2].range_stats as Obj).uptime, null); // no data, never 0 %

  const down = await json<Obj[]>(await w.get("/api/models?status=down"));
  assert.deepEqual(down.map((m) => m.model_id), ["qwen/qwen3:free"]);
  const q = await json<Obj[]>(await w.get("/api/models?q=LLAMA"));
  assert.deepEqual(q.map((m) => m.model_id), [LLAMA]);
  const byName = await json<Obj[]>(await w.get("/api/models?q=quiet"));
  assert.deepEqual(byName.map((m) => m.model_id), ["quiet/listed:free"]);

  await error(await w.get("/api/models?range=2y"), 400, /^range: must be one of 24h, 7d/);
  await error(await w.get("/api/models?status=sick"), 400, /^status: /);
});

Deno.test("GET /api/models/{model_id}: raw and percent-encoded ids; 404 and 400", async () => {
  await using w = await world();
  const raw = await json<Obj>(await w.get(`/api/models/${LLAMA}`));
  const encoded = await json<Obj>(await w.get(`/api/models/${LLAMA_ENCODED}`));
  assert.deepEqual(raw, encoded);
  assert.equal(raw.model_id, LLAMA);
  assert.equal(raw.name, "Meta: Llama 3.3 70B Instruct (free)");
  assert.equal(raw.present, true);
  assert.deepEqual(raw.input_modalities, ["text"]);
  assert.deepEqual(raw.supported_parameters, ["max_tokens", "temperature"]);
  assert.equal(typeof raw.first_seen_at, "string");
  assert.deepEqual(Object.keys(raw.range_stats as Obj), ["24h", "7d", "30d", "90d", "1y"]);
  assert.equal(((raw.range_stats as Obj)["30d"] as Obj).checks, 4);
  assert.deepEqual((raw.events as Obj[]).map((e) => e.kind), ["added"]);
  // Only the encoded `/` and `:` forms mixed: still the same model.
  const mixed = await json<Obj>(
    await w.get("/api/models/meta-llama/llama-3.3-70b-instruct%3Afree"),
  );
  assert.equal(mixed.model_id, LLAMA);

  await error(await w.get("/api/models/nobody/nothing:free"), 404, /unknown model/);
  await error(await w.get("/api/models/nobody%2Fnothing%3Afree"), 404, /nobody\/nothing:free/);
  await error(await w.get("/api/models/%E0%A4%A"), 400, /^model_id: /);
  await error(await w.get(`/api/models/${"x".repeat(600)}`), 400, /^model_id: /);
});

Deno.test("GET /api/models/{model_id}/history: oldest first, default 7d, limit; raw and encoded", async () => {
  await using w = await world();
  const raw = await json<Obj[]>(await w.get(`/api/models/${LLAMA}/history`));
  const encoded = await json<Obj[]>(await w.get(`/api/models/${LLAMA_ENCODED}/history`));
  assert.deepEqual(raw, encoded);
  // The default range is 7 days: the check 10 days ago is left out.
  assert.deepEqual(
    raw.map((p) => p.run_datetime),
    [3, 2, 1].map((h) => new Date(NOW - h * H).toISOString()),
  );
  assert.deepEqual(Object.keys(raw[0]).slice(0, 4), [
    "run_datetime",
    "ok",
    "latency_ms",
    "status_label",
  ]);
  assert.deepEqual(raw.map((p) => [p.ok, p.latency_ms, p.status_label]), [
    [true, 800, "OK"],
    [false, 300, "429"],
    [true, 1200, "OK"],
  ]);
  assert.equal(raw[1].status, "rate_limited");
  assert.equal(raw[1].http_status, 429);

  const month = await json<Obj[]>(await w.get(`/api/models/${LLAMA_ENCODED}/history?range=30d`));
  assert.equal(month.length, 4);
  const newest = await json<Obj[]>(await w.get(`/api/models/${LLAMA}/history?range=90d&limit=2`));
  assert.deepEqual(newest.map((p) => p.status), ["rate_limited", "ok"]);
  assert.deepEqual(await json(await w.get("/api/models/quiet/listed:free/history")), []);
  // A trailing encoded `%2Fhistory` is part of the id, not the sub-resource.
  await error(await w.get(`/api/models/${LLAMA_ENCODED}%2Fhistory`), 404, /unknown model/);

  for (const limit of ["0", "5001", "abc", "1.5", ""]) {
    await error(
      await w.get(`/api/models/${LLAMA}/history?limit=${limit}`),
      400,
      /^limit: must be a whole number from 1 to 5000$/,
    );
  }
  await error(await w.get(`/api/models/${LLAMA}/history?range=2d`), 400, /^range: /);
  await error(await w.get("/api/models/nobody/nothing:free/history"), 404, /unknown model/);
});

Deno.test("GET /api/runs: newest first, ISO times, limit", async () => {
  await using w = await world();
  const runs = await json<Obj[]>(await w.get("/api/runs"));
  assert.ok(runs.length >= 3);
  const starts = runs.map((r) => Date.parse(r.started_at as string));
  assert.deepEqual(starts, [...starts].sort((a, b) => b - a));
  assert.deepEqual(Object.keys(runs[0]), [
    "id",
    "started_at",
    "finished_at",
    "status",
    "trigger",
    "total_models",
    "ok_count",
    "failed_count",
    "skipped_count",
    "error",
    "incident",
    "traffic_measured",
  ]);
  assert.match(runs[0].started_at as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(runs[0].status, "completed");
  assert.equal((await json<Obj[]>(await w.get("/api/runs?limit=1"))).length, 1);
  await error(await w.get("/api/runs?limit=0"), 400, /^limit: /);
  await error(await w.get("/api/runs?limit=1001"), 400, /^limit: /);
});

Deno.test("POST /api/scan: 403 without an admin token, 401 bad token, 202, 409, 503", async () => {
  {
    await using w = await world({ adminToken: null });
    const res = await w.get("/api/scan", {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    await error(res, 403, /OPENROUTER_SCOUT_ADMIN_TOKEN/);
    assert.equal(w.scanner.requests, 0);
  }
  {
    await using w = await world();
    for (
      const header of [
        undefined,
        "Bearer wrong",
        `Basic ${ADMIN_TOKEN}`,
        `Bearer ${ADMIN_TOKEN}x`,
        "Bearer",
      ]
    ) {
      const res = await w.get("/api/scan", {
        method: "POST",
        headers: header === undefined ? {} : { Authorization: header },
      });
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
      await error(res, 401);
    }
    assert.equal(w.scanner.requests, 0);
    const ok = await w.get("/api/scan", {
      method: "POST",
      headers: { Authorization: `bearer  ${ADMIN_TOKEN}` },
    });
    assert.deepEqual(await json(ok, 202), { status: "started" });
    assert.equal(w.scanner.requests, 1);
    await error(await w.get("/api/scan"), 405);
  }
  const auth = { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } };
  {
    await using w = await world({ scan: "busy" });
    await error(await w.get("/api/scan", auth), 409, /already running/);
  }
  {
    await using w = await world({ scan: "disabled" });
    await error(await w.get("/api/scan", auth), 503, /OPENROUTER_API_KEY/);
  }
});

Deno.test("GET /openapi.json: an OpenAPI 3 document of every endpoint, refs resolved", async () => {
  await using w = await world();
  const doc = await json<Obj>(await w.get("/openapi.json"));
  assert.match(doc.openapi as string, /^3\.\d+\.\d+$/);
  assert.equal((doc.info as Obj).version, SCOUTER_VERSION);
  const paths = doc.paths as Record<string, Record<string, Obj>>;
  assert.deepEqual(Object.keys(paths).sort(), [
    "/api/events",
    "/api/export/checks",
    "/api/models",
    "/api/models/{model_id}",
    "/api/models/{model_id}/history",
    "/api/models/{model_id}/regions",
    "/api/openrouter-stats",
    "/api/recommend",
    "/api/router",
    "/api/runs",
    "/api/scan",
    "/api/summary",
    "/badge/{model_id}/status.svg",
    "/badge/{model_id}/uptime/24h.svg",
    "/badge/{model_id}/uptime/30d.svg",
    "/badge/{model_id}/uptime/7d.svg",
    "/feed.xml",
    "/healthz",
    "/metrics",
  ]);
  assert.deepEqual(Object.keys(paths["/api/scan"]), ["post"]);
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      assert.ok(Object.keys(op.responses as Obj).length > 0, `${method} ${path}`);
      assert.ok(typeof op.summary === "string", `${method} ${path} has a summary`);
    }
  }
  const history = paths["/api/models/{model_id}/history"].get;
  const params = history.parameters as Obj[];
  assert.deepEqual(params.map((p) => [p.name, p.in]), [
    ["model_id", "path"],
    ["range", "query"],
    ["limit", "query"],
  ]);
  assert.deepEqual(
    [
      (params[2].schema as Obj).minimum,
      (params[2].schema as Obj).maximum,
      (params[2].schema as Obj).default,
    ],
    [1, 5000, 500],
  );
  assert.deepEqual(Object.keys(history.responses as Obj).sort(), ["200", "400", "404"]);
  assert.deepEqual(Object.keys(paths["/api/scan"].post.responses as Obj).sort(), [
    "202",
    "401",
    "403",
    "409",
    "413",
    "429",
    "503",
  ]);
  const components = doc.components as Obj;
  assert.deepEqual((components.securitySchemes as Obj).bearerAuth, {
    type: "http",
    scheme: "bearer",
    description: "The admin token (OPENROUTER_SCOUT_ADMIN_TOKEN).",
  });
  // Every $ref points at a schema the document defines.
  const schemas = components.schemas as Obj;
  const refs = JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g);
  for (const [, name] of refs) assert.ok(name in schemas, name);
  const summary = schemas.ModelListItem as Obj;
  for (
    const field of [
      "model_id",
      "uptime_24h",
      "avg_latency_24h",
      "consecutive_failures",
      "latest_status",
      "sparkline_data",
    ]
  ) {
    assert.ok(field in (summary.properties as Obj), field);
  }
});

Deno.test("GET /healthz: ok with the version; 503 when the database does not answer", async () => {
  {
    await using w = await world();
    const res = await w.get("/healthz");
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.deepEqual(await json(res), { status: "ok", version: SCOUTER_VERSION, db: "ok" });
  }
  {
    await using w = await world();
    w.db.store.close();
    const body = await json<Obj>(await w.get("/healthz"), 503);
    assert.equal(body.status, "error");
    assert.equal(body.db, "error");
  }
});

Deno.test("unknown /api paths and methods: 404 JSON; pages untouched by the API's headers", async () => {
  await using w = await world();
  await error(await w.get("/api/nope"), 404, /no such endpoint/);
  await error(await w.get("/api/models", { method: "POST" }), 404);
  await error(await w.get("/api/models/"), 404);
  const page = await w.get("/");
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("cache-control"), null);
});

Deno.test("hostile model names come back as JSON strings", async () => {
  await using w = await world();
  const list = await w.get("/api/models");
  assert.equal(list.headers.get("x-content-type-options"), "nosniff");
  const models = await json<Obj[]>(list);
  const evil = models.find((m) => m.model_id === EVIL);
  assert.equal(evil?.name, EVIL_NAME);
  const one = await json<Obj>(await w.get(`/api/models/${encodeURIComponent(EVIL)}`));
  assert.equal(one.name, EVIL_NAME);
  const history = await json<Obj[]>(await w.get(`/api/models/${encodeURIComponent(EVIL)}/history`));
  assert.equal(history.length, 1);
});

Deno.test("no response holds the admin token; a failure inside is a bare 500", async () => {
  {
    await using w = await world();
    const paths = [
      "/api/summary",
      "/api/models?range=7d",
      `/api/models/${LLAMA}`,
      `/api/models/${LLAMA}/history`,
      "/api/runs",
      "/openapi.json",
      "/healthz",
      "/api/nope",
    ];
    for (const path of paths) {
      const text = await (await w.get(path)).text();
      assert.ok(!text.includes(ADMIN_TOKEN), path);
    }
    const scan = await w.get("/api/scan", {
      method: "POST",
      headers: { Authorization: "Bearer x" },
    });
    assert.ok(!(await scan.text()).includes(ADMIN_TOKEN));
  }
  {
    const db = await openTestStore();
    await using _ = db;
    const broken: Store = {
      ...db.store,
      client: new Proxy(db.store.client, {
        get(target, key, receiver) {
          if (key === "batch" || key === "execute") {
            return () => Promise.reject(new Error("disk I/O error at /secret/path"));
          }
          return Reflect.get(target, key, receiver);
        },
      }),
    };
    await using w = await world({ store: broken });
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(" "));
    try {
      const body = await error(await w.get("/api/models"), 500);
      assert.equal(body, "internal error");
    } finally {
      console.error = original;
    }
    assert.equal(logged.length, 1);
    assert.match(logged[0], /disk I\/O error/);
  }
});
