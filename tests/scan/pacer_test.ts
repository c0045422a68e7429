import assert from "node:assert/strict";
import { createVirtualClock } from "../../lib/scan/clock.ts";
import { createPacer } from "../../lib/scan/pacer.ts";

/** The most grants that fall in any window of `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j] < times[i] + windowMs; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

Deno.test("never more than rpm starts in any 60 s window, however many callers", async () => {
  const clock = createVirtualClock(1_000_000);
  const pacer = createPacer({ rpm: 20, delayMs: 0, clock });
  // 8 concurrent callers, 100 requests in all.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 100 / 8; i++) await pacer.acquire();
    }),
  );
  const times = pacer.granted;
  assert.equal(times.length, 8 * Math.ceil(100 / 8));
  assert.equal(busiestWindow(times, 60_000), 20);
  // And it is not slower than it must be: 104 requests at 20/min take just over 5 minutes.
  assert.ok(times.at(-1)! - times[0] <= 5 * 60_000 + 1, `${times.at(-1)! - times[0]}`);
});

Deno.test("the delay spaces consecutive starts", async () => {
  const clock = createVirtualClock(0);
  const pacer = createPacer({ rpm: 1000, delayMs: 300, clock });
  for (let i = 0; i < 5; i++) await pacer.acquire();
  const gaps = pacer.granted.slice(1).map((t, i) => t - pacer.granted[i]);
  assert.deepEqual(gaps, [300, 300, 300, 300]);
});

Deno.test("pauseUntil holds every caller until the reset", async () => {
  const clock = createVirtualClock(10_000);
  const pacer = createPacer({ rpm: 100, delayMs: 0, clock });
  await pacer.acquire();
  pacer.pauseUntil(70_000);
  await Promise.all([pacer.acquire(), pacer.acquire()]);
  assert.ok(pacer.granted[1] >= 70_000 && pacer.granted[2] >= 70_000);
});

Deno.test("an aborted caller gets false and records nothing", async () => {
  const clock = createVirtualClock(0);
  const pacer = createPacer({ rpm: 1, delayMs: 0, clock });
  assert.equal(await pacer.acquire(), true);
  const controller = new AbortController();
  controller.abort();
  assert.equal(await pacer.acquire(controller.signal), false);
  assert.equal(pacer.granted.length, 1);
});

Deno.test("a long-lived pacer keeps a bounded history, and still paces", async () => {
  const clock = createVirtualClock(1_000_000);
  const pacer = createPacer({ rpm: 50, delayMs: 0, clock });
  for (let i = 0; i < 1_200; i++) await pacer.acquire();
  assert.equal(pacer.granted.length, 1_000, "the latest 1,000 start times");
  assert.equal(busiestWindow(pacer.granted, 60_000), 50);
  assert.ok(pacer.granted.at(-1)! - pacer.granted[0] >= 19 * 60_000);
});
