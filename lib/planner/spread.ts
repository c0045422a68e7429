/**
 * The spread schedule (OPENROUTER_SCOUT_SPREAD_CHECKS=true): instead of one burst of every model
 * per interval, the day is cut into slots and each slot checks a few models, so the daily quota
 * is spent evenly and unstable models are checked more often than stable ones.
 *
 * A pure plan: which models to check in which slot of a UTC day.
 * - A stable model is checked as often as the schedule would check it (at least once a day);
 *   an unstable one (not healthy, or not measured yet) `unstableFactor` times as often.
 * - At most one check of a model per slot.
 * - The day's checks fit `dailyBudget × (1 − reserve)`: the reserve is for retries. When they do
 *   not, every model's share shrinks in proportion (at least one check each); when even one
 *   check each does not fit, the models take turns by day.
 * - Each model's checks are evenly spaced, and the models are phase-shifted against each other
 *   so that the slots fill evenly.
 */

export interface SpreadModel {
  id: string;
  unstable: boolean;
}

export interface SpreadOptions {
  /** In a stable order (by id): the phases and the turns follow it. */
  models: readonly SpreadModel[];
  dailyBudget: number;
  /** Checks a day the schedule gives each model (24 for hourly scans). */
  scansPerDay: number;
  /** Share of the budget kept for retries (default 0.2). */
  reserve?: number;
  /** How many times more often an unstable model is checked (default 3). */
  unstableFactor?: number;
  /** Slot length in minutes; must divide 1440 (default 10). */
  slotMinutes?: number;
  /** Days since the epoch: which models take their turn when not all fit (default 0). */
  day?: number;
}

export interface SpreadPlan {
  slot_minutes: number;
  /** Checks a day the plan may use: the budget minus the reserve. */
  budget_for_checks: number;
  /** Checks a day the plan makes. */
  total_checks: number;
  per_model: { model_id: string; unstable: boolean; per_day: number }[];
  /** Slots with work, by start minute of the UTC day; ids sorted. */
  slots: { minute: number; model_ids: string[] }[];
  /** Models without a turn today (the budget is smaller than the number of models). */
  left_out: string[];
}

export function planSpread(o: SpreadOptions): SpreadPlan {
  const slotMinutes = o.slotMinutes ?? 10;
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0 || 1440 % slotMinutes !== 0) {
    throw new RangeError(`slotMinutes must divide 1440, got ${slotMinutes}`);
  }
  const slotsPerDay = 1440 / slotMinutes;
  const factor = Math.max(1, o.unstableFactor ?? 3);
  const budget = Math.max(0, Math.floor(o.dailyBudget * (1 - (o.reserve ?? 0.2))));
  const base = Math.max(1, Math.floor(o.scansPerDay));

  let models = [...o.models];
  let leftOut: string[] = [];
  if (models.length > budget) {
    // Not even one check each: `budget` models a day, taking turns.
    const start = ((o.day ?? 0) * budget) % Math.max(1, models.length);
    const rotated = [...models.slice(start), ...models.slice(0, start)];
    const chosen = new Set(rotated.slice(0, budget).map((m) => m.id));
    leftOut = models.filter((m) => !chosen.has(m.id)).map((m) => m.id);
    models = models.filter((m) => chosen.has(m.id));
  }

  const desired = models.map((m) => Math.min(slotsPerDay, base * (m.unstable ? factor : 1)));
  const want = desired.reduce((a, b) => a + b, 0);
  let perDay = desired;
  if (want > budget) {
    const scale = budget / want;
    perDay = desired.map((d) => Math.max(1, Math.floor(d * scale)));
    // The one-a-day floor may overshoot: take back from the largest shares.
    for (let over = sum(perDay) - budget; over > 0; over--) {
      const i = perDay.indexOf(Math.max(...perDay));
      if (perDay[i] <= 1) break;
      perDay[i]--;
    }
    // Hand out what flooring left, unstable models first, never above what they wanted.
    let left = budget - sum(perDay);
    const order = models.map((_, i) => i).sort((a, b) =>
      Number(models[b].unstable) - Number(models[a].unstable) || a - b
    );
    while (left > 0) {
      let gave = false;
      for (const i of order) {
        if (left > 0 && perDay[i] < desired[i]) {
          perDay[i]++;
          left--;
          gave = true;
        }
      }
      if (!gave) break;
    }
  }

  const slots = new Map<number, string[]>();
  models.forEach((m, i) => {
    const f = perDay[i];
    const period = slotsPerDay / f;
    const phase = (i + 0.5) / models.length;
    for (let j = 0; j < f; j++) {
      const slot = Math.floor((phase + j) * period) % slotsPerDay;
      slots.set(slot, [...(slots.get(slot) ?? []), m.id]);
    }
  });

  return {
    slot_minutes: slotMinutes,
    budget_for_checks: budget,
    total_checks: perDay.reduce((a, b) => a + b, 0),
    per_model: models.map((m, i) => ({ model_id: m.id, unstable: m.unstable, per_day: perDay[i] })),
    slots: [...slots.entries()].sort((a, b) => a[0] - b[0]).map(([slot, ids]) => ({
      minute: slot * slotMinutes,
      model_ids: ids.sort(),
    })),
    left_out: leftOut,
  };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** The models of the slot that holds `minuteOfDay` (0–1439). */
export function modelsInSlot(plan: SpreadPlan, minuteOfDay: number): string[] {
  const start = Math.floor(minuteOfDay / plan.slot_minutes) * plan.slot_minutes;
  return plan.slots.find((s) => s.minute === start)?.model_ids ?? [];
}
