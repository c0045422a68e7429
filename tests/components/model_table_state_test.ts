import assert from "node:assert/strict";
import {
  DEFAULT_STATE,
  type ModelRow,
  nextSort,
  parseTableState,
  tableStateQuery,
  visibleRows,
} from "../../islands/model_table_state.ts";

function row(id: string, patch: Partial<ModelRow> = {}): ModelRow {
  return {
    model_id: id,
    name: `Model ${id}`,
    health: "healthy",
    latest_status: "OK",
    latest_checked_at: "2026-11-27T10:00:00.000Z",
    present: true,
    is_router: false,
    uptime_24h: 100,
    uptime_7d: 100,
    p50_latency_24h: 1000,
    p50_ttft_24h: 500,
    sparkline_data: [],
    consecutive_failures: 0,
    context_length: 8192,
    ...patch,
  };
}

const ROWS = [
  row("a/alpha:free", { uptime_24h: 90, health: "degraded" }),
  row("b/beta:free", { uptime_24h: null, health: "no_data", p50_latency_24h: null }),
  row("c/gamma:free", { uptime_24h: 100, name: "Gamma Llama" }),
  row("d/delta:free", { uptime_24h: 0, health: "down", consecutive_failures: 4 }),
  row("e/old:free", { uptime_24h: 100, present: false }),
];
const ids = (rows: ModelRow[]) => rows.map((r) => r.model_id[0]).join("");

Deno.test("the default view is every row in the server's order", () => {
  assert.equal(ids(visibleRows(ROWS, DEFAULT_STATE)), "abcde");
});

Deno.test("search matches every word in the name or id, case-insensitively", () => {
  const view = (q: string) => ids(visibleRows(ROWS, { ...DEFAULT_STATE, q }));
  assert.equal(view("LLAMA"), "c");
  assert.equal(view("gamma c/"), "c");
  assert.equal(view(":free a/"), "a");
  assert.equal(view("nothing"), "");
  assert.equal(view("   "), "abcde");
});

Deno.test("status filter: a health, or removed from the catalog", () => {
  const view = (status: typeof DEFAULT_STATE.status) =>
    ids(visibleRows(ROWS, { ...DEFAULT_STATE, status }));
  assert.equal(view("down"), "d");
  assert.equal(view("healthy"), "ce");
  assert.equal(view("no_data"), "b");
  assert.equal(view("removed"), "e");
});

Deno.test("sorting keeps nulls last both ways and ties in server order", () => {
  const view = (sort: "uptime_24h" | "health", dir: "asc" | "desc") =>
    ids(visibleRows(ROWS, { ...DEFAULT_STATE, sort, dir }));
  assert.equal(view("uptime_24h", "asc"), "daceb");
  assert.equal(view("uptime_24h", "desc"), "ceadb");
  assert.equal(view("health", "asc"), "daceb");
});

Deno.test("a header click flips the direction; uptimes start high, latencies low", () => {
  assert.deepEqual(nextSort(DEFAULT_STATE, "uptime_24h"), { sort: "uptime_24h", dir: "desc" });
  assert.deepEqual(nextSort(DEFAULT_STATE, "p50_latency_24h"), {
    sort: "p50_latency_24h",
    dir: "asc",
  });
  const sorted = { ...DEFAULT_STATE, sort: "name" as const, dir: "asc" as const };
  assert.deepEqual(nextSort(sorted, "name"), { sort: "name", dir: "desc" });
});

Deno.test("the query string round-trips; junk falls back to the default", () => {
  const state = {
    q: "llama 70b",
    status: "down" as const,
    supports: null,
    sort: "uptime_7d" as const,
    dir: "desc" as const,
  };
  assert.deepEqual(parseTableState(new URLSearchParams(tableStateQuery(state))), state);
  assert.equal(tableStateQuery(DEFAULT_STATE), "");
  assert.deepEqual(
    parseTableState(new URLSearchParams("status=<x>&sort=constructor.desc&q=" + "x".repeat(500))),
    { ...DEFAULT_STATE, q: "x".repeat(200) },
  );
  // The form's hidden current sort, then the pressed header's: the last one wins.
  assert.deepEqual(
    parseTableState(new URLSearchParams("sort=name.asc&sort=context_length.desc")),
    { ...DEFAULT_STATE, sort: "context_length", dir: "desc" },
  );
});
