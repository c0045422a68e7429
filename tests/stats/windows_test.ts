import assert from "node:assert/strict";
import fc from "fast-check";
import { piecesOf, type Span } from "../../lib/stats/windows.ts";

const H = 3_600_000;
const D = 24 * H;
const T = Date.UTC(2026, 10, 27); // a midnight

Deno.test("piecesOf: raw only for the partial hours, hours for partial days, days between", () => {
  // (10:30 − 30 days, 10:30] as [from, to).
  const from = T - 30 * D + 10.5 * H + 1;
  const to = T + 10.5 * H + 1;
  assert.deepEqual(piecesOf(from, to, { days: true, prunedBefore: null }), {
    raw: [[from, T - 30 * D + 11 * H], [T + 10 * H, to]],
    hourly: [[T - 30 * D + 11 * H, T - 29 * D], [T, T + 10 * H]],
    daily: [T - 29 * D, T],
  });
  // Without days: one hourly span.
  assert.deepEqual(piecesOf(from, to, { days: false, prunedBefore: null }).hourly, [
    [T - 30 * D + 11 * H, T + 10 * H],
  ]);
  // Aligned ends need no raw checks at all.
  assert.deepEqual(piecesOf(T - 2 * D, T, { days: true, prunedBefore: null }), {
    raw: [],
    hourly: [],
    daily: [T - 2 * D, T],
  });
  // Within an hour: raw only.
  assert.deepEqual(piecesOf(T + 5, T + 99, { days: true, prunedBefore: null }), {
    raw: [[T + 5, T + 99]],
    hourly: [],
    daily: null,
  });
  assert.deepEqual(piecesOf(T, T, { days: true, prunedBefore: null }).raw, []);
});

Deno.test("piecesOf: a first hour whose raw checks were pruned is read whole from its bucket", () => {
  const from = T - 30 * D + 10.5 * H + 1;
  const to = T + 10.5 * H + 1;
  const p = piecesOf(from, to, { days: true, prunedBefore: T - 20 * D });
  assert.deepEqual(p.raw, [[T + 10 * H, to]]);
  assert.deepEqual(p.hourly[0], [T - 30 * D + 10 * H, T - 29 * D]);
  // A pruned start before the window changes nothing.
  assert.deepEqual(
    piecesOf(from, to, { days: true, prunedBefore: T - 40 * D }),
    piecesOf(from, to, { days: true, prunedBefore: null }),
  );
});

Deno.test("piecesOf: the pieces tile the window exactly, without overlap", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 400 * D }),
      fc.integer({ min: 0, max: 400 * D }),
      fc.boolean(),
      (a, len, days) => {
        const from = T - a;
        const to = from + len;
        const p = piecesOf(from, to, { days, prunedBefore: null });
        const spans: Span[] = [...p.raw, ...p.hourly, ...(p.daily ? [p.daily] : [])]
          .filter(([x, y]) => y > x)
          .sort((x, y) => x[0] - y[0]);
        if (len === 0) return assert.equal(spans.length, 0);
        assert.equal(spans[0][0], from);
        assert.equal(spans.at(-1)![1], to);
        for (let i = 1; i < spans.length; i++) assert.equal(spans[i][0], spans[i - 1][1]);
        for (const [x, y] of p.hourly) assert.ok(x % H === 0 && y % H === 0);
        if (p.daily) assert.ok(p.daily[0] % D === 0 && p.daily[1] % D === 0);
        if (!days) assert.equal(p.daily, null);
        // Raw checks only for less than an hour at either end.
        for (const [x, y] of p.raw) assert.ok(y - x < H || p.hourly.length === 0);
      },
    ),
  );
});
