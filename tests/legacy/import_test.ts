import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { openStore } from "../../lib/db/open.ts";
import type { Store } from "../../lib/db/store.ts";
import { importLegacy, type ImportOptions } from "../../lib/legacy/import.ts";
import { type LegacyCheck, mapRun, mapStatus, QUOTA_TAIL } from "../../lib/legacy/mapping.ts";
import { LegacyError, openLegacy } from "../../lib/legacy/source.ts";
import { parseWallTime, wallToInstant } from "../../lib/legacy/timezone.ts";
import { rangeStats } from "../../lib/stats/ranges.ts";
import { fleetAvailability } from "../../lib/stats/timeline.ts";
import { RANGE_MS, RANGES } from "../../lib/stats/types.ts";
import { runCli } from "../cli/run_cli.ts";
import { type PyCheck, type PyRun, pythonHistory, wallText, writePythonDb } from "./python_db.ts";

const row = (over: Partial<LegacyCheck>): LegacyCheck => ({
  model_id: "a/a:free",
  ok: false,
  http_status: null,
  error_category: null,
  latency_ms: 100,
  ...over,
});

Deno.test("mapping: every Python scouter outcome to a Scouter category", () => {
  const cases: [Partial<LegacyCheck>, string, string | null][] = [
    [{ ok: true, http_status: 200 }, "ok", null],
    [{ error_category: "rate_limited", http_status: 429 }, "rate_limited", null],
    [{ error_category: "server_error", http_status: 502 }, "unavailable", null],
    [{ error_category: "client_error", http_status: 404 }, "not_found", null],
    [{ error_category: "client_error", http_status: 408 }, "timeout", null],
    [{ error_category: "client_error", http_status: 400 }, "rejected", null],
    [{ error_category: "client_error", http_status: 403 }, "rejected", null],
    [{ error_category: "client_error", http_status: 401 }, "skipped", "auth"],
    [{ error_category: "client_error", http_status: 402 }, "skipped", "payment"],
    [{ error_category: "network" }, "network_error", null],
    [{ error_category: "unexpected", http_status: 200 }, "invalid_response", null],
    [{ error_category: null, http_status: 503 }, "unavailable", null],
    [{ error_category: "something new" }, "invalid_response", null],
  ];
  for (const [over, status, reason] of cases) {
    assert.deepEqual(mapStatus(row(over)), { status, skip_reason: reason }, JSON.stringify(over));
  }
});

Deno.test("mapping: a run ending in 429s ran out of the daily quota; scattered 429s are upstream", () => {
  const ok = row({ ok: true, http_status: 200 });
  const limited = row({ error_category: "rate_limited", http_status: 429 });
  const tail = [ok, limited, ok, ...Array(QUOTA_TAIL).fill(limited)];
  const auto = mapRun(tail, 0, "auto");
  assert.deepEqual(auto.checks.map((c) => c.status), [
    "ok",
    "rate_limited",
    "ok",
    ...Array(QUOTA_TAIL).fill("skipped"),
  ]);
  assert.ok(auto.checks.slice(3).every((c) => c.skip_reason === "quota"));
  assert.equal(auto.status, "quota_exhausted");
  assert.equal(auto.quotaSkipped, QUOTA_TAIL);
  // A short tail stays upstream; a run of only 429s (3 or more) is the quota.
  const short = mapRun([ok, ...Array(QUOTA_TAIL - 1).fill(limited)], 0, "auto");
  assert.ok(short.checks.slice(1).every((c) => c.status === "rate_limited"));
  assert.equal(short.status, "completed");
  assert.equal(mapRun([limited, limited, limited], 0, "auto").status, "quota_exhausted");
  assert.equal(mapRun([limited, limited], 0, "auto").status, "completed");
  // The other policies.
  assert.ok(mapRun(tail, 0, "rate_limited").checks.every((c) => c.status !== "skipped"));
  assert.equal(mapRun([ok, limited, ok], 0, "skipped").checks[1].status, "skipped");
  assert.equal(mapRun([row({ http_status: 401 })], 0, "auto").status, "failed");
  const [c] = mapRun([row({ error_category: "server_error", http_status: 502 })], 7, "auto").checks;
  assert.equal(c.checked_at, 7);
  assert.equal(c.error, "python scouter: server_error (HTTP 502)");
});

Deno.test("timezone: local run times to instants, across DST changes", () => {
  const wall = (s: string) => parseWallTime(s)!;
  const iso = (ms: number) => new Date(ms).toISOString();
  assert.equal(iso(wallToInstant(wall("2026-07-01 12:00:00"), "UTC")), "2026-07-01T12:00:00.000Z");
  assert.equal(
    iso(wallToInstant(wall("2026-07-01 12:00:00"), "Europe/Paris")),
    "2026-07-01T10:00:00.000Z",
  );
  assert.equal(
    iso(wallToInstant(wall("2026-01-15 08:30:05"), "America/New_York")),
    "2026-01-15T13:30:05.000Z",
  );
  // 02:30 happened twice on 25 October 2026 in Paris: the first one (still UTC+2).
  assert.equal(
    iso(wallToInstant(wall("2026-10-25 02:30:00"), "Europe/Paris")),
    "2026-10-25T00:30:00.000Z",
  );
  // 02:30 never happened on 29 March 2026 in Paris: moved forward past the gap (03:30 local).
  assert.equal(
    iso(wallToInstant(wall("2026-03-29 02:30:00"), "Europe/Paris")),
    "2026-03-29T01:30:00.000Z",
  );
  assert.equal(parseWallTime("2026-11-27T10:00:00.250"), Date.UTC(2026, 10, 27, 10, 0, 0, 250));
  for (
    const bad of [
      "2026-02-30 10:00:00",
      "2026-11-27 10:30:99",
      "2026-11-27 10:60:00",
      "0050-11-27 10:00:00",
      "27/11/2026 10:00",
      "2026-11-27",
      "",
      "x",
    ]
  ) {
    assert.equal(parseWallTime(bad), null, bad);
  }
});

const pyCheck = (model_id: string, over: Partial<PyCheck> = {}): PyCheck => ({
  model_id,
  ok: 1,
  http_status: 200,
  error_category: null,
  latency_ms: 900.4,
  ...over,
});

const HAND: PyRun[] = [
  {
    id: 1,
    run_datetime: "2026-11-20 09:00:00",
    checks: [
      pyCheck("a/a:free"),
      pyCheck("b/it's:free", { ok: 0, http_status: 502, error_category: "server_error" }),
    ],
  },
  {
    id: 2,
    run_datetime: "2026-11-20 10:00:00",
    checks: [
      pyCheck("a/a:free", { latency_ms: 1200 }),
      pyCheck("b/it's:free", { ok: 0, http_status: 404, error_category: "client_error" }),
    ],
  },
  { id: 3, run_datetime: "2026-11-20 11:00:00", checks: [] },
];

async function fixture(runs: Iterable<PyRun>) {
  const dir = await Deno.makeTempDir({ prefix: "scouter-legacy-" });
  const source = `${dir}/python.db`;
  await writePythonDb(source, runs);
  const store = await openStore({ path: `${dir}/scouter.db` });
  return {
    dir,
    source,
    store,
    async import(opts: Partial<ImportOptions> = {}) {
      const src = await openLegacy(source);
      try {
        return await importLegacy(store, src, {
          timeZone: "Europe/Paris",
          rateLimited: "auto",
          ...opts,
        });
      } finally {
        src.close();
      }
    },
    async [Symbol.asyncDispose]() {
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function counts(store: Store) {
  const n = async (table: string) =>
    (await store.client.execute(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n;
  return {
    runs: await n("runs"),
    checks: await n("checks"),
    rollups: (await store.client.execute("SELECT SUM(checks + skipped) AS n FROM rollups"))
      .rows[0].n,
    legacy: await n("legacy_runs"),
  };
}

Deno.test("import: runs and checks converted, with their rollups; twice adds nothing", async () => {
  await using f = await fixture(HAND);
  const progress: number[] = [];
  const report = await f.import({ onProgress: (p) => progress.push(p.rows) });
  assert.equal(report.runs, 3);
  assert.equal(report.runsEmpty, 1);
  assert.equal(report.checks, 4);
  assert.deepEqual(report.byStatus, { ok: 2, unavailable: 1, not_found: 1 });
  assert.equal(progress.at(-1), 4);
  // Paris is UTC+1 in November.
  assert.equal(report.first, Date.UTC(2026, 10, 20, 8));
  assert.equal(report.last, Date.UTC(2026, 10, 20, 10));

  const checks = await f.store.listChecks({});
  assert.deepEqual(
    checks.map((c) => [c.model_id, new Date(c.checked_at).toISOString(), c.status, c.latency_ms]),
    [
      ["a/a:free", "2026-11-20T08:00:00.000Z", "ok", 900],
      ["b/it's:free", "2026-11-20T08:00:00.000Z", "unavailable", 900],
      ["a/a:free", "2026-11-20T09:00:00.000Z", "ok", 1200],
      ["b/it's:free", "2026-11-20T09:00:00.000Z", "not_found", 900],
    ],
  );
  const runs = await f.store.listRuns(10);
  assert.deepEqual(runs.map((r) => [r.status, r.trigger, r.ok_count, r.failed_count]), [
    ["failed", "cli", 0, 0],
    ["completed", "cli", 1, 1],
    ["completed", "cli", 1, 1],
  ]);
  const now = Date.UTC(2026, 10, 20, 12);
  const day = await rangeStats(f.store, "a/a:free", "24h", now);
  assert.deepEqual([day.checks, day.ok, day.p50_latency_ms, day.p95_latency_ms], [2, 2, 900, 1200]);

  const before = await counts(f.store);
  const again = await f.import();
  assert.equal(again.runs, 0);
  assert.equal(again.runsAlready, 3);
  assert.deepEqual(await counts(f.store), before);

  // New runs in the source since: only they come in.
  const client = createClient({ url: `file:${f.source}` });
  await client.execute("INSERT INTO runs (id, run_datetime) VALUES (4, '2026-11-20 12:00:00')");
  await client.execute(`INSERT INTO healthchecks (run_id, model_id, ok, http_status,
    error_category, latency_ms) VALUES (4, 'a/a:free', 0, NULL, 'network', NULL)`);
  client.close();
  const more = await f.import();
  assert.equal(more.runs, 1);
  assert.equal(more.runsAlready, 3);
  assert.deepEqual(more.byStatus, { network_error: 1 });
  assert.equal((await counts(f.store)).checks, Number(before.checks) + 1);
});

Deno.test("import: a generated history's ranges equal a count over the raw checks", async () => {
  const end = Date.UTC(2026, 10, 27, 10);
  await using f = await fixture(pythonHistory({ models: 12, days: 9, end, seed: 11 }));
  const report = await f.import({ timeZone: "UTC", chunkChecks: 500, pageRows: 700 });
  assert.equal(report.runs, 9 * 24);
  assert.equal(report.checks, 9 * 24 * 12);
  const raw = await f.store.listChecks({});
  assert.equal(raw.length, report.checks);
  const now = end + 30 * 60_000;
  for (const id of ["vendor-0/model-0:free", "vendor-5/model-5:free"]) {
    for (const range of RANGES) {
      const mine = raw.filter((c) =>
        c.model_id === id && c.checked_at > now - RANGE_MS[range] && c.checked_at <= now
      );
      const ok = mine.filter((c) => c.status === "ok").length;
      const measured = mine.filter((c) => c.status !== "skipped").length;
      const stats = await rangeStats(f.store, id, range, now);
      assert.deepEqual(
        [stats.ok, stats.checks, stats.skipped],
        [ok, measured, mine.length - measured],
        `${id} ${range}`,
      );
    }
  }
});

Deno.test("import: bad sources are one-line errors naming the problem", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-legacy-" });
  try {
    const store = await openStore({ path: ":memory:" });
    const expectError = async (path: string, pattern: RegExp) => {
      await assert.rejects(
        async () => {
          const src = await openLegacy(path);
          try {
            await importLegacy(store, src, { timeZone: "UTC", rateLimited: "auto" });
          } finally {
            src.close();
          }
        },
        (e: Error) =>
          e instanceof LegacyError && pattern.test(e.message) && !e.message.includes("\n"),
      );
    };
    await expectError(`${dir}/missing.db`, /^cannot read .*missing\.db/);
    await Deno.writeTextFile(`${dir}/text.db`, "not a database at all, just text ".repeat(40));
    await expectError(`${dir}/text.db`, /cannot read .* as a SQLite database/);
    const make = async (name: string, sql: string[]) => {
      const c = createClient({ url: `file:${dir}/${name}` });
      for (const s of sql) await c.execute(s);
      c.close();
      return `${dir}/${name}`;
    };
    await expectError(await make("empty.db", ["CREATE TABLE x (y)"]), /no table "runs"/);
    await expectError(
      await make("partial.db", [
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, run_datetime TEXT)",
        "CREATE TABLE healthchecks (run_id, model_id, ok, http_status, latency_ms)",
      ]),
      /table "healthchecks" has no column "error_category"/,
    );
    const badTime = `${dir}/time.db`;
    await writePythonDb(badTime, [{ id: 7, run_datetime: "yesterday", checks: [] }]);
    await expectError(badTime, /^run 7: run_datetime "yesterday" is not "YYYY-MM-DD HH:MM:SS"/);
    assert.equal((await store.listRuns(5)).length, 0, "nothing written");
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import-legacy command: progress, summary, JSON, exit codes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-legacy-cli-" });
  try {
    const end = Date.UTC(2026, 10, 27, 10);
    await writePythonDb(`${dir}/py.db`, [
      ...pythonHistory({ models: 3, days: 1, end, seed: 2 }),
      {
        id: 99,
        run_datetime: wallText(end + 3_600_000),
        checks: Array.from(
          { length: 12 },
          (_, i) =>
            pyCheck(`q/${i}:free`, { ok: 0, http_status: 429, error_category: "rate_limited" }),
        ),
      },
    ]);
    const run = (...args: string[]) =>
      runCli(["import-legacy", ...args], { OPENROUTER_API_KEY: "sk-or-v1-secret" }, dir);
    const first = await run("py.db", "--timezone", "UTC", "--db-path", "s.db");
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^Imported 25 runs \(84 checks\) from 2026-11-26T11:00 to 2026-11-27T11:00 UTC/,
    );
    assert.match(first.stdout, /12 429s at the end of runs taken as the daily quota \(skipped\)/);
    assert.match(first.stderr, /\[100%\] 84\/84 rows read · 25\/25 runs written/);
    assert.ok(!first.stdout.includes("sk-or-v1") && !first.stderr.includes("sk-or-v1"));

    const again = await run("py.db", "--timezone", "UTC", "--db-path", "s.db", "--json");
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.deepEqual([report.runs, report.runsAlready, report.checks], [0, 25, 0]);

    for (
      const [args, code, pattern] of [
        [[], 2, /give the Python scouter's database file/],
        [["py.db", "--timezone", "Mars/Olympus"], 2, /--timezone "Mars\/Olympus" is not a known/],
        [["py.db", "--rate-limited-as", "maybe"], 2, /--rate-limited-as must be one of/],
        [["py.db", "--frobnicate"], 2, /frobnicate/],
        [["py.db", "--timezone", "-03:00"], 2, /--timezone needs a value .*--timezone=-1/],
        // The source named as the target too: refused before anything is opened.
        [["py.db", "--db-path", "py.db"], 2, /py\.db is the database to import into as well/],
        [["nope.db", "--db-path", "s.db"], 1, /^error: cannot read nope\.db/],
      ] as [string[], number, RegExp][]
    ) {
      const r = await run(...args);
      assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    // Refusing the same file left it as it was: no Scouter tables, no WAL.
    const py = createClient({ url: `file:${dir}/py.db` });
    const tables = await py.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    py.close();
    assert.deepEqual(tables.rows.map((r) => r.name).sort(), ["healthchecks", "runs"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import: rows without a model, odd latencies and text run ids", async () => {
  await using f = await fixture([
    {
      id: 1,
      run_datetime: "2026-11-20 09:00:00",
      checks: [
        pyCheck("a/a:free", { latency_ms: -500 }),
        pyCheck("", { latency_ms: 400 }),
        pyCheck("b/b:free", { latency_ms: 1e15 }),
        pyCheck("c/c:free", { latency_ms: 700 }),
      ],
    },
  ]);
  // A NULL model and a run id stored as text, as a loosely typed column allows.
  const client = createClient({ url: `file:${f.source}` });
  await client.execute(`INSERT INTO runs (id, run_datetime) VALUES (2, '2026-11-20 10:00:00')`);
  await client.execute(`INSERT INTO healthchecks (run_id, model_id, ok, http_status,
    error_category, latency_ms) VALUES ('2', 'c/c:free', 1, 200, NULL, 800),
    (2, NULL, 1, 200, NULL, 300)`);
  client.close();
  const report = await f.import();
  assert.equal(report.runs, 2);
  assert.equal(report.checks, 4);
  assert.equal(report.orphanRows, 2, "the rows naming no model");
  const checks = await f.store.listChecks({});
  assert.deepEqual(
    checks.map((c) => [c.model_id, c.latency_ms]),
    [["a/a:free", null], ["b/b:free", null], ["c/c:free", 700], ["c/c:free", 800]],
  );
  // The fleet counts each check once (a model "" would have been counted twice).
  const now = Date.UTC(2026, 10, 20, 12);
  const fleet = await fleetAvailability(f.store, "24h", now);
  assert.equal(fleet.reduce((n, p) => n + p.checks, 0), 4);
  const day = await rangeStats(f.store, "c/c:free", "24h", now);
  assert.deepEqual([day.checks, day.p50_latency_ms], [2, 700]);
  assert.equal((await rangeStats(f.store, "a/a:free", "24h", now)).p50_latency_ms, null);
});

Deno.test("import: checks past retention only rolled up give the same rollups and state", async () => {
  const end = Date.UTC(2026, 10, 27, 10);
  // Generated history, plus a model gone for days (its last checks long past the window) and
  // one that never answered.
  const runs = [...pythonHistory({ models: 6, days: 12, end, seed: 3 })];
  runs.slice(0, 40).forEach((r, i) =>
    r.checks.push(
      pyCheck(
        "gone/early:free",
        i % 7 ? {} : { ok: 0, http_status: 502, error_category: "server_error" },
      ),
      pyCheck("never/ok:free", { ok: 0, http_status: 404, error_category: "client_error" }),
    )
  );
  const rawFrom = Date.UTC(2026, 10, 22);
  await using all = await fixture(runs);
  await using cut = await fixture(runs);
  await all.import({ timeZone: "UTC" });
  const report = await cut.import({ timeZone: "UTC", rawFrom, chunkChecks: 300 });
  assert.ok(report.rolledUpOnly > 0);
  const rollups = (s: Store) =>
    s.client.execute(`SELECT k.model_id, r.grain, r.bucket, r.checks, r.ok, r.skipped, r.lat_n,
      r.lat_sum, r.lat_min, r.lat_max, r.lat_hist FROM rollups r
      LEFT JOIN model_keys k ON k.key = r.model_key ORDER BY 1, 2, 3`).then((rs) => rs.rows);
  assert.deepEqual(await rollups(cut.store), await rollups(all.store));
  const state = (s: Store) =>
    s.client.execute(`SELECT model_id, last_any_at, last_at, last_status, last_http, streak,
      spark, last_ok_at FROM model_state ORDER BY model_id`).then((rs) => rs.rows);
  assert.deepEqual(await state(cut.store), await state(all.store));
  const never = (await state(cut.store)).find((r) => r.model_id === "never/ok:free");
  assert.equal(never?.streak, 40);
  // Raw checks from the window on; a few older ones the latest state needed.
  const raw = await cut.store.listChecks({});
  assert.equal(
    raw.filter((c) => c.checked_at >= rawFrom).length,
    report.checks - report.rolledUpOnly,
  );
  assert.ok(raw.filter((c) => c.checked_at < rawFrom).length <= 8 * 40);
  // A window starting on the hour: with raw checks gone before `rawFrom`, a window starting
  // inside an hour starts on that hour (see the crosscheck test); here both read the same.
  const now = end + 3_600_000 - 1;
  for (const id of ["vendor-1/model-1:free", "gone/early:free"]) {
    for (const range of RANGES) {
      assert.deepEqual(
        await rangeStats(cut.store, id, range, now),
        await rangeStats(all.store, id, range, now),
        `${id} ${range}`,
      );
    }
  }
});
