import assert from "node:assert/strict";
import fc from "fast-check";
import { modelsInSlot, planSpread, type SpreadModel } from "../../lib/planner/spread.ts";

const models = (n: number, unstable: (i: number) => boolean = () => false): SpreadModel[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `m/${String(i).padStart(2, "0")}:free`,
    unstable: unstable(i),
  }));

Deno.test("enough budget: stable models as often as the schedule, unstable ones 3× as often", () => {
  const plan = planSpread({
    models: models(10, (i) => i < 2),
    dailyBudget: 1000,
    scansPerDay: 24,
  });
  assert.deepEqual(plan.per_model.map((m) => m.per_day), [72, 72, 24, 24, 24, 24, 24, 24, 24, 24]);
  assert.equal(plan.total_checks, 336);
  assert.equal(plan.budget_for_checks, 800);
  assert.deepEqual(plan.left_out, []);
});

Deno.test("a free account's 50 a day: shares shrink, unstable first, the reserve kept", () => {
  const plan = planSpread({
    models: models(30, (i) => i % 5 === 0),
    dailyBudget: 50,
    scansPerDay: 24,
  });
  assert.equal(plan.budget_for_checks, 40);
  assert.equal(plan.total_checks, 40);
  assert.ok(plan.per_model.every((m) => m.per_day >= 1), "every model at least once a day");
  const unstable = plan.per_model.filter((m) => m.unstable).map((m) => m.per_day);
  const stable = plan.per_model.filter((m) => !m.unstable).map((m) => m.per_day);
  assert.ok(Math.min(...unstable) >= Math.max(...stable), `${unstable} vs ${stable}`);
  // 36 checks after flooring (2 per unstable, 1 per stable model); the 4 left go to the
  // unstable models, in order.
  assert.deepEqual(unstable, [3, 3, 3, 3, 2, 2]);
});

Deno.test("fewer checks than models: they take turns by day", () => {
  const all = models(60);
  const day0 = planSpread({ models: all, dailyBudget: 50, scansPerDay: 24, day: 0 });
  const day1 = planSpread({ models: all, dailyBudget: 50, scansPerDay: 24, day: 1 });
  assert.equal(day0.total_checks, 40);
  assert.equal(day0.left_out.length, 20);
  const checked = (p: typeof day0) => new Set(p.per_model.map((m) => m.model_id));
  const both = new Set([...checked(day0), ...checked(day1)]);
  assert.equal(both.size, 60, "two days cover every model");
});

Deno.test("slots: evenly spaced per model, filled evenly, looked up by minute", () => {
  const plan = planSpread({
    models: models(4),
    dailyBudget: 1000,
    scansPerDay: 2,
    slotMinutes: 60,
  });
  // 4 models × 2 a day = 8 checks in 24 hourly slots, each model 12 h apart.
  for (const m of plan.per_model) {
    const minutes = plan.slots.filter((s) => s.model_ids.includes(m.model_id)).map((s) => s.minute);
    assert.equal(minutes.length, 2);
    assert.equal(minutes[1] - minutes[0], 720);
  }
  assert.ok(plan.slots.every((s) => s.model_ids.length === 1), "no slot holds two");
  const first = plan.slots[0];
  assert.deepEqual(modelsInSlot(plan, first.minute + 59), first.model_ids);
  assert.throws(() => planSpread({ models: [], dailyBudget: 1, scansPerDay: 1, slotMinutes: 7 }));
});

Deno.test("property: within budget, at most once a slot, never more often than wanted", () => {
  fc.assert(
    fc.property(
      fc.array(fc.boolean(), { minLength: 0, maxLength: 80 }),
      fc.integer({ min: 0, max: 2000 }),
      fc.integer({ min: 1, max: 300 }),
      fc.constantFrom(5, 10, 15, 30, 60),
      fc.integer({ min: 0, max: 400 }),
      (flags, budget, scans, slotMinutes, day) => {
        const list = flags.map((u, i) => ({ id: `m${i}`, unstable: u }));
        const p = planSpread({
          models: list,
          dailyBudget: budget,
          scansPerDay: scans,
          slotMinutes,
          day,
        });
        assert.ok(p.total_checks <= Math.max(p.budget_for_checks, 0));
        const slotsPerDay = 1440 / slotMinutes;
        for (const m of p.per_model) {
          const want = Math.min(slotsPerDay, Math.max(1, scans) * (m.unstable ? 3 : 1));
          assert.ok(m.per_day >= 1 && m.per_day <= want, JSON.stringify(m));
          const slots = p.slots.filter((s) => s.model_ids.includes(m.model_id));
          assert.equal(slots.length, m.per_day, "one slot per check");
        }
        assert.equal(p.slots.reduce((n, s) => n + s.model_ids.length, 0), p.total_checks);
        assert.equal(p.per_model.length + p.left_out.length, list.length);
        assert.ok(p.slots.every((s) => s.minute % slotMinutes === 0 && s.minute < 1440));
      },
    ),
    { numRuns: 200 },
  );
});
