import assert from "node:assert/strict";
import { alertLogLines } from "../../lib/alerts/log_lines.ts";
import type { AlertEvent, AlertKind } from "../../lib/domain/alerts.ts";

let nextId = 1;
const event = (kind: AlertKind, model: string, at: number): AlertEvent => ({
  id: nextId++,
  kind,
  model_id: model,
  at,
  run_id: null,
  title: `${kind} ${model}`,
  message: "",
  details: {},
});

Deno.test("alert log: every down/recovered line, catalog news up to 10 a kind then '… and N more'", () => {
  const events = [
    ...Array.from({ length: 25 }, (_, i) => event("model_added", `new/m-${i}`, 100 + i)),
    ...Array.from({ length: 3 }, (_, i) => event("model_removed", `gone/m-${i}`, 50)),
    ...Array.from({ length: 12 }, (_, i) => event("model_down", `down/m-${i}`, 10)),
  ];
  const lines = alertLogLines(events);
  assert.equal(lines.filter((l) => l.endsWith("(model_down)")).length, 12, "never summarised");
  assert.equal(lines.filter((l) => l.endsWith("(model_removed)")).length, 3);
  const added = lines.filter((l) => l.startsWith("alert: model_added "));
  assert.deepEqual(
    added,
    Array.from({ length: 10 }, (_, i) => `alert: model_added new/m-${i} (model_added)`),
  );
  assert.equal(lines.at(-1), "alert: … and 15 more (model_added)");
  assert.equal(lines.length, 12 + 3 + 10 + 1);
  assert.equal(lines[0], "alert: model_down down/m-0 (model_down)", "oldest first");
});

Deno.test("alert log: a title cannot break its line", () => {
  const e = { ...event("model_down", "x", 1), title: "evil\nforged line" };
  assert.deepEqual(alertLogLines([e]), ["alert: evil forged line (model_down)"]);
});
