/** The models table's capability chips and its "supports" filter, as the server renders them. */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import ModelTable from "../../islands/ModelTable.tsx";
import {
  DEFAULT_STATE,
  type ModelRow,
  parseTableState,
  tableStateQuery,
  toCapabilityChips,
  visibleRows,
} from "../../islands/model_table_state.ts";
import { capabilityLine } from "../../islands/capability_text.ts";
import { capabilitiesOf } from "../../lib/stats/capabilities.ts";

const NOW = Date.parse("2026-11-27T10:30:00.000Z");
const H = 3_600_000;
const HOSTILE = `"><img src=x onerror=alert(1)>`;

function row(id: string, caps: ModelRow["caps"]): ModelRow {
  return {
    model_id: id,
    name: id,
    health: "healthy",
    latest_status: "OK",
    latest_checked_at: null,
    present: true,
    is_router: false,
    uptime_24h: 100,
    uptime_7d: 100,
    p50_latency_24h: 1,
    p50_ttft_24h: 1,
    sparkline_data: [],
    consecutive_failures: 0,
    context_length: 1,
    caps,
  };
}

const ROWS = [
  row("yes/a:free", {
    tools: { claimed: true, verified: true, at: NOW - 3 * H, detail: null },
    vision: { claimed: true, verified: null, at: null, detail: null },
  }),
  row(`evil/${HOSTILE}:free`, {
    tools: { claimed: true, verified: false, at: NOW - H, detail: HOSTILE },
  }),
  row("none/c:free", {}),
];

Deno.test("chips: one short span each, the line in its title, hostile ids and details escaped", () => {
  const html = renderToString(<ModelTable rows={ROWS} now={NOW} />);
  assert.ok(
    html.includes(
      '<span class="text-emerald-700 dark:text-emerald-400" title="claims tools · verified yes, 3 h ago" data-cap="tools">tools ✓</span>',
    ),
  );
  assert.ok(
    html.includes(
      '<span title="claims vision · not verified yet" data-cap="vision">vision ?</span>',
    ),
  );
  assert.ok(html.includes('title="claims tools · verified no, 1 h ago: &quot;>&lt;img src=x'));
  assert.equal(html.includes("<img src=x"), false, "no element from an id or a detail");
  assert.equal(
    html.match(/data-cap=/g)?.length,
    3,
    "no chip for what is neither claimed nor checked",
  );
});

Deno.test("the supports filter: verified true only, kept in the query string, first render filtered", () => {
  const state = { ...DEFAULT_STATE, supports: "tools" as const };
  assert.deepEqual(visibleRows(ROWS, state).map((r) => r.model_id), ["yes/a:free"]);
  assert.deepEqual(
    visibleRows(ROWS, { ...DEFAULT_STATE, supports: "vision" }),
    [],
    "a claim is not enough",
  );
  assert.equal(tableStateQuery(state), "supports=tools");
  assert.deepEqual(parseTableState(new URLSearchParams("supports=tools")), state);
  assert.equal(parseTableState(new URLSearchParams("supports=<x>")).supports, null);
  const html = renderToString(<ModelTable rows={ROWS} now={NOW} initial={state} />);
  assert.equal(html.match(/<th scope="row"/g)?.length, 1);
  assert.ok(html.includes("Showing 1 of 3 models"));
});

Deno.test("chips from the read model: only claimed or verified capabilities, times as epoch ms", () => {
  const caps = capabilitiesOf({ supported_parameters: ["tools"], input_modalities: ["text"] }, {
    reasoning: { verified: true, checked_at: NOW - H, detail: "reasoning tokens seen" },
  });
  const chips = toCapabilityChips(caps);
  assert.deepEqual(Object.keys(chips), ["tools", "reasoning"]);
  assert.deepEqual(chips.reasoning, {
    claimed: false,
    verified: true,
    at: NOW - H,
    detail: "reasoning tokens seen",
  });
  assert.equal(
    capabilityLine("reasoning", chips.reasoning!, NOW),
    "doesn't claim reasoning · verified yes, 1 h ago: reasoning tokens seen",
  );
  assert.equal(
    capabilityLine("vision", { claimed: false, verified: null, at: null, detail: null }, NOW),
    "doesn't claim vision",
  );
  assert.deepEqual(toCapabilityChips(undefined), {});
});
