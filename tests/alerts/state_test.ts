import assert from "node:assert/strict";
import fc from "fast-check";
import { replay, type StateCheck, step } from "../../lib/alerts/state.ts";
import { INITIAL_STATE, type ModelAlertState } from "../../lib/domain/alerts.ts";
import type { CheckStatus } from "../../lib/domain/check.ts";

const RULES = { downAfter: 3, recoverAfter: 2 };

function checks(statuses: CheckStatus[]): StateCheck[] {
  return statuses.map((status, i) => ({ id: i + 1, status, checked_at: 1000 * (i + 1) }));
}

Deno.test("down after N failures in a row, back after M oks, one transition each", () => {
  const { state, transitions } = replay(
    INITIAL_STATE,
    checks([
      "ok",
      "timeout",
      "unavailable",
      "ok", // streak broken: not down
      "timeout",
      "rate_limited",
      "unavailable", // 3 in a row: down (check 7)
      "timeout", // still down: no new event
      "ok",
      "unavailable", // one ok is not a recovery
      "ok",
      "ok", // 2 in a row: recovered (check 12)
      "ok",
    ]),
    RULES,
  );
  assert.deepEqual(transitions.map((t) => [t.transition, t.check.id]), [["down", 7], [
    "recovered",
    12,
  ]]);
  assert.deepEqual(transitions[0].failures, ["timeout", "rate_limited", "unavailable"]);
  assert.equal(transitions[1].before.changedAt, 7000, "down since the deciding check");
  assert.deepEqual(state, { state: "up", failStreak: 0, okStreak: 3, changedAt: 12_000 });
});

Deno.test("skipped checks (the account's quota) neither count nor break a streak", () => {
  const { transitions } = replay(
    INITIAL_STATE,
    checks(["timeout", "skipped", "timeout", "skipped", "skipped", "timeout"]),
    RULES,
  );
  assert.deepEqual(transitions.map((t) => [t.transition, t.check.id]), [["down", 6]]);
  const quiet = replay(INITIAL_STATE, checks(["skipped", "skipped"]), RULES);
  assert.deepEqual(quiet.state, INITIAL_STATE);
});

Deno.test("a model first seen working is up silently; one first seen failing goes down", () => {
  const up = step(INITIAL_STATE, { id: 1, status: "ok", checked_at: 5 }, RULES);
  assert.equal(up.transition, null);
  assert.equal(up.next.state, "up");
  const broken = replay(INITIAL_STATE, checks(["not_found", "not_found", "not_found"]), RULES);
  assert.deepEqual(broken.transitions.map((t) => t.transition), ["down"]);
});

Deno.test("thresholds of 1: every change of state is an event", () => {
  const rules = { downAfter: 1, recoverAfter: 1 };
  const { transitions } = replay(INITIAL_STATE, checks(["ok", "timeout", "ok", "timeout"]), rules);
  assert.deepEqual(transitions.map((t) => t.transition), ["down", "recovered", "down"]);
});

Deno.test("property: events alternate down/recovered, and replaying in pieces equals replaying whole", () => {
  const status = fc.constantFrom<CheckStatus>("ok", "timeout", "unavailable", "skipped");
  fc.assert(
    fc.property(
      fc.array(status, { maxLength: 60 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      (list, cut, downAfter, recoverAfter) => {
        const rules = { downAfter, recoverAfter };
        const all = checks(list);
        const whole = replay(INITIAL_STATE, all, rules);
        const kinds = whole.transitions.map((t) => t.transition);
        kinds.forEach((k, i) => assert.equal(k, i % 2 === 0 ? "down" : "recovered"));
        // A restart between two passes (state persisted) changes nothing.
        const first = replay(INITIAL_STATE, all.slice(0, cut), rules);
        const second = replay(first.state as ModelAlertState, all.slice(cut), rules);
        assert.deepEqual(
          [...first.transitions, ...second.transitions].map((t) => t.check.id),
          whole.transitions.map((t) => t.check.id),
        );
        assert.deepEqual(second.state, whole.state);
      },
    ),
  );
});
