import assert from "node:assert/strict";
import { uptimePercent } from "../../lib/stats/health.ts";
import { fleetSummary, modelSummaries, modelSummary } from "../../lib/stats/summaries.ts";
import type { ModelSummary } from "../../lib/stats/types.ts";
import { openTestStore, type SeedCheck, seedStore } from "../seed.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const H = 3_600_000;
const at = (hoursAgo: number) => NOW - hoursAgo * H;
const iso = (ms: number) => new Date(ms).toISOString();

function series(
  model_id: string,
  hoursAgo: number[],
  make: (h: number, i: number) => Omit<SeedCheck, "model_id" | "checked_at">,
): SeedCheck[] {
  return hoursAgo.map((h, i) => ({ model_id, checked_at: at(h), ...make(h, i) }));
}

const hours = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, i) => from - i);

/** One model per case of the health rules, with numbers worked out by hand in the tests. */
const CHECKS: SeedCheck[] = [
  // a: healthy. A failure 3 days ago (7d only), a skipped check, and one after `now` (ignored).
  { model_id: "a/healthy:free", checked_at: at(72), status: "unavailable" },
  ...series("a/healthy:free", [5, 4, 3, 2, 1], (_, i) => ({
    status: "ok",
    latency_ms: 100 * (i + 1),
    ttft_ms: 50 + 10 * i,
  })),
  { model_id: "a/healthy:free", checked_at: at(0.5), status: "skipped" },
  { model_id: "a/healthy:free", checked_at: NOW + H, status: "unavailable" },
  // b: the latest check failed right after a good one (a skipped one in between).
  { model_id: "b/flapping:free", checked_at: at(6), status: "ok", latency_ms: 1000 },
  { model_id: "b/flapping:free", checked_at: at(5), status: "ok", latency_ms: 1000 },
  { model_id: "b/flapping:free", checked_at: at(4), status: "rate_limited" },
  { model_id: "b/flapping:free", checked_at: at(3), status: "skipped" },
  { model_id: "b/flapping:free", checked_at: at(2), status: "ok", latency_ms: 2000 },
  { model_id: "b/flapping:free", checked_at: at(1), status: "unavailable", http_status: 502 },
  // c: two failures in a row; the skipped check between them neither breaks nor extends it.
  { model_id: "c/down:free", checked_at: at(4), status: "ok", latency_ms: 700 },
  { model_id: "c/down:free", checked_at: at(3), status: "unavailable" },
  { model_id: "c/down:free", checked_at: at(2), status: "skipped" },
  { model_id: "c/down:free", checked_at: at(1), status: "timeout" },
  // d: the only check so far failed.
  { model_id: "d/once:free", checked_at: at(1), status: "not_found", http_status: 404 },
  // e: never measured, only skipped.
  { model_id: "e/skipped:free", checked_at: at(2), status: "skipped" },
  { model_id: "e/skipped:free", checked_at: at(1), status: "skipped" },
  // g: answers, slowly (median over 10 s).
  ...series("g/slow:free", [3, 2, 1], (_, i) => ({
    status: "ok",
    latency_ms: [12_000, 11_000, 13_000][i],
  })),
  // h: 19 of 20 ok: 95.0 %, exactly the healthy threshold.
  ...series("h/edge:free", hours(20, 1), (h) => ({
    status: h === 10 ? "rate_limited" : "ok",
    latency_ms: 500,
  })),
  // i: 18 of 20 ok: 90 %, latest ok: degraded.
  ...series("i/flaky:free", hours(20, 1), (h) => ({
    status: h === 10 || h === 9 ? "empty_response" : "ok",
    latency_ms: 500,
  })),
  // j: 30 failures in a row, more than the sparkline holds.
  { model_id: "j/long-down:free", checked_at: at(31), status: "ok", latency_ms: 400 },
  ...series("j/long-down:free", hours(30, 1), () => ({ status: "unavailable" })),
  // r: removed from the catalog, checked 2 days ago; o: removed, checked 8 days ago.
  { model_id: "r/removed:free", checked_at: at(48), status: "ok", latency_ms: 900 },
  { model_id: "o/old:free", checked_at: at(24 * 8), status: "ok", latency_ms: 900 },
];

async function seeded() {
  const db = await openTestStore();
  await seedStore(db.store, {
    models: [
      { id: "f/listed:free", name: "F Listed" },
      { id: "r/removed:free", present: false },
      { id: "o/old:free", present: false },
    ],
    checks: CHECKS,
  });
  return db;
}

function byId(list: ModelSummary[]): Map<string, ModelSummary> {
  return new Map(list.map((m) => [m.model_id, m]));
}

Deno.test("modelSummaries: present models by id, then removed ones checked in the last 7 days", async () => {
  await using db = await seeded();
  const list = await modelSummaries(db.store, NOW);
  assert.deepEqual(list.map((m) => [m.model_id, m.present]), [
    ["a/healthy:free", true],
    ["b/flapping:free", true],
    ["c/down:free", true],
    ["d/once:free", true],
    ["e/skipped:free", true],
    ["f/listed:free", true],
    ["g/slow:free", true],
    ["h/edge:free", true],
    ["i/flaky:free", true],
    ["j/long-down:free", true],
    ["r/removed:free", false],
  ]);
});

Deno.test("modelSummaries: a healthy model, skipped and future checks left out", async () => {
  await using db = await seeded();
  const a = byId(await modelSummaries(db.store, NOW)).get("a/healthy:free");
  assert.deepEqual(a, {
    model_id: "a/healthy:free",
    name: "Model a/healthy:free",
    context_length: 131072,
    is_router: false,
    present: true,
    expiration_date: null,
    health: "healthy",
    latest_status: "OK",
    latest_category: "ok",
    latest_checked_at: iso(at(1)),
    consecutive_failures: 0,
    uptime_24h: 100,
    uptime_7d: 83.3, // 5 of 6: the failure 3 days ago counts over 7 days only
    avg_latency_24h: 300,
    p50_latency_24h: 300, // nearest rank: ceil(0.5 × 5) = 3rd of 100…500
    p95_latency_24h: 500, // ceil(0.95 × 5) = 5th
    p50_ttft_24h: 70,
    checks_24h: 5,
    // The latest 24 measured checks, whatever their age: the 3-day-old failure comes first.
    sparkline_data: [null, 100, 200, 300, 400, 500],
  });
});

Deno.test("modelSummaries: each health class from crafted histories", async () => {
  await using db = await seeded();
  const m = byId(await modelSummaries(db.store, NOW));
  const pick = (id: string) => {
    const s = m.get(id);
    assert.ok(s, id);
    return {
      health: s.health,
      latest_status: s.latest_status,
      consecutive_failures: s.consecutive_failures,
      uptime_24h: s.uptime_24h,
      sparkline_data: s.sparkline_data,
    };
  };
  assert.deepEqual(pick("b/flapping:free"), {
    health: "degraded",
    latest_status: "HTTP 502",
    consecutive_failures: 1,
    uptime_24h: 60,
    sparkline_data: [1000, 1000, null, 2000, null],
  });
  assert.deepEqual(pick("c/down:free"), {
    health: "down",
    latest_status: "TIMEOUT",
    consecutive_failures: 2,
    uptime_24h: 33.3,
    sparkline_data: [700, null, null],
  });
  assert.deepEqual(pick("d/once:free"), {
    health: "down",
    latest_status: "HTTP 404",
    consecutive_failures: 1,
    uptime_24h: 0, // measured and failed: a real 0 %
    sparkline_data: [null],
  });
  assert.deepEqual(pick("e/skipped:free"), {
    health: "no_data",
    latest_status: null,
    consecutive_failures: 0,
    uptime_24h: null, // no data, never 0 %
    sparkline_data: [],
  });
  assert.deepEqual(pick("f/listed:free"), {
    health: "no_data",
    latest_status: null,
    consecutive_failures: 0,
    uptime_24h: null,
    sparkline_data: [],
  });
  assert.equal(m.get("g/slow:free")?.health, "degraded");
  assert.equal(m.get("g/slow:free")?.p50_latency_24h, 12_000);
  assert.equal(m.get("h/edge:free")?.uptime_24h, 95);
  assert.equal(m.get("h/edge:free")?.health, "healthy");
  assert.equal(m.get("i/flaky:free")?.uptime_24h, 90);
  assert.equal(m.get("i/flaky:free")?.health, "degraded");

  const j = m.get("j/long-down:free");
  assert.equal(j?.health, "down");
  assert.equal(j?.consecutive_failures, 30);
  assert.deepEqual(j?.sparkline_data, Array(24).fill(null));
  assert.equal(j?.checks_24h, 23); // at(24) is the range's open end, left out

  const b = m.get("b/flapping:free");
  assert.equal(b?.avg_latency_24h, 1333);
  assert.equal(b?.p50_latency_24h, 1000);
  assert.equal(b?.p95_latency_24h, 2000);
  assert.equal(b?.checks_24h, 5);
  assert.equal(b?.latest_category, "unavailable");
});

Deno.test("modelSummary: one model, removed ones included; null for an unknown id", async () => {
  await using db = await seeded();
  const table = byId(await modelSummaries(db.store, NOW));
  for (const id of ["a/healthy:free", "c/down:free", "f/listed:free", "r/removed:free"]) {
    assert.deepEqual(await modelSummary(db.store, id, NOW), table.get(id), id);
  }
  const old = await modelSummary(db.store, "o/old:free", NOW);
  assert.equal(old?.present, false);
  assert.equal(old?.uptime_7d, null);
  assert.deepEqual(old?.sparkline_data, [900]);
  assert.equal(await modelSummary(db.store, "nobody/nothing:free", NOW), null);
});

Deno.test("modelSummaries: as of an earlier `now`, later checks do not exist yet", async () => {
  await using db = await seeded();
  const b = await modelSummary(db.store, "b/flapping:free", at(2));
  assert.equal(b?.health, "degraded"); // ok, ok, 429, (skipped), ok: uptime 75 % < 95 %
  assert.equal(b?.latest_status, "OK");
  assert.deepEqual(b?.sparkline_data, [1000, 1000, null, 2000]);
  assert.equal(b?.uptime_24h, 75);
});

Deno.test("fleetSummary: counts over present models add up; skipped and future checks ignored", async () => {
  await using db = await seeded();
  assert.deepEqual(await fleetSummary(db.store, NOW), {
    total_models: 10,
    healthy_count: 2, // a, h
    degraded_count: 3, // b, g, i
    down_count: 3, // c, d, j
    no_data_count: 2, // e, f
    last_updated: iso(at(0.5)), // a's skipped check; the one after `now` does not count
    // measured over 24 h: a 5/5, b 3/5, c 1/3, d 0/1, g 3/3, h 19/20, i 18/20, j 0/23
    fleet_uptime_24h: uptimePercent(49, 80),
  });
});

Deno.test("fleetSummary: a fresh database", async () => {
  await using db = await openTestStore();
  assert.deepEqual(await fleetSummary(db.store, NOW), {
    total_models: 0,
    healthy_count: 0,
    degraded_count: 0,
    down_count: 0,
    no_data_count: 0,
    last_updated: null,
    fleet_uptime_24h: null,
  });
  assert.deepEqual(await modelSummaries(db.store, NOW), []);
});
