import assert from "node:assert/strict";
import { openStore } from "../../lib/db/open.ts";
import { listAlertEvents } from "../../lib/db/alert_events.ts";
import { fillDemo } from "../../lib/demo/fill.ts";
import { demoHistory, type DemoItem } from "../../lib/demo/history.ts";
import type { CheckResult } from "../../lib/domain/check.ts";
import { rangeStats } from "../../lib/stats/ranges.ts";
import { dailyUptime } from "../../lib/stats/timeline.ts";
import { RANGE_MS } from "../../lib/stats/types.ts";
import { runCli } from "../cli/run_cli.ts";

const NOW = Date.UTC(2026, 10, 27, 10, 30);
const H = 3_600_000;

function checksOf(items: DemoItem[]): CheckResult[] {
  return items.flatMap((i) => i.kind === "runs" ? i.runs.flatMap((r) => r.checks) : []);
}

Deno.test("demo history: deterministic for a seed, different for another", () => {
  const a = [...demoHistory({ models: 8, days: 3, now: NOW, seed: 4 })];
  const b = [...demoHistory({ models: 8, days: 3, now: NOW, seed: 4 })];
  const c = [...demoHistory({ models: 8, days: 3, now: NOW, seed: 5 })];
  assert.deepEqual(a, b);
  assert.notDeepEqual(checksOf(a), checksOf(c));
  const runs = a.flatMap((i) => i.kind === "runs" ? i.runs : []);
  assert.equal(runs.length, 3 * 24);
  assert.ok(runs.every((r) => r.started_at % H === 0 && r.started_at <= NOW));
  assert.equal(a[0].kind, "catalog");
});

Deno.test("demo history: daily cycles, 429 bursts, outages, churn, quota runs", () => {
  const items = [...demoHistory({ models: 30, days: 200, now: NOW, seed: 9 })];
  const checks = checksOf(items);
  const byModel = Map.groupBy(checks, (c) => c.model_id);

  // Daily cycle: the mean latency of a model's ok checks varies with the UTC hour.
  let cyclic = 0;
  for (const list of byModel.values()) {
    const sums = Array.from({ length: 24 }, () => [0, 0]);
    for (const c of list) {
      if (c.status !== "ok" || c.latency_ms === null) continue;
      const s = sums[new Date(c.checked_at).getUTCHours()];
      s[0] += c.latency_ms;
      s[1]++;
    }
    const means = sums.filter(([, n]) => n > 20).map(([t, n]) => t / n);
    if (means.length === 24 && Math.max(...means) / Math.min(...means) > 1.15) cyclic++;
  }
  assert.ok(cyclic >= byModel.size / 2, `${cyclic} of ${byModel.size} models cycle daily`);

  // Bursts: a 429 is far more often followed by another than 429s are common.
  let limited = 0, pairs = 0, follow = 0, total = 0;
  let longestOutage = 0;
  for (const list of byModel.values()) {
    let streak = 0;
    list.forEach((c, i) => {
      total++;
      if (c.status === "rate_limited") limited++;
      if (i > 0 && list[i - 1].status === "rate_limited") {
        pairs++;
        if (c.status === "rate_limited") follow++;
      }
      streak = c.status === "unavailable" || c.status === "not_found" || c.status === "timeout"
        ? streak + 1
        : 0;
      longestOutage = Math.max(longestOutage, streak);
    });
  }
  assert.ok(follow / pairs > 5 * (limited / total), `${follow}/${pairs} vs ${limited}/${total}`);
  assert.ok(longestOutage >= 6, `longest outage ${longestOutage} scans`);

  // Churn: models leave and others arrive, about 30 at a time.
  const catalogs = items.filter((i) => i.kind === "catalog");
  assert.ok(catalogs.length > 3, `${catalogs.length} catalog changes`);
  assert.ok(byModel.size > 30, `${byModel.size} models over the history`);
  for (const c of catalogs) assert.ok(Math.abs(c.models.length - 30) <= 6);

  // Now and then the daily quota ends a scan early: the rest of it skipped.
  const runs = items.flatMap((i) => i.kind === "runs" ? i.runs : []);
  const quota = runs.filter((r) => r.status === "quota_exhausted");
  assert.ok(quota.length >= 3, `${quota.length} quota runs`);
  for (const r of quota) {
    const first = r.checks.findIndex((c) => c.status === "skipped");
    assert.ok(r.checks.slice(first).every((c) => c.skip_reason === "quota"));
  }
  // Timeouts have no latency; ok checks have both latency and a smaller TTFT.
  assert.ok(checks.every((c) => c.status !== "timeout" || c.latency_ms === null));
  assert.ok(
    checks.every((c) =>
      c.status !== "ok" || (c.latency_ms! > 0 && c.ttft_ms! > 0 && c.ttft_ms! <= c.latency_ms!)
    ),
  );
});

Deno.test("demo fill: raw checks within retention, rollups for the whole history", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-demo-" });
  try {
    const store = await openStore({ path: `${dir}/demo.db` });
    try {
      const progress: number[] = [];
      const report = await fillDemo(store, {
        models: 12,
        days: 12,
        now: NOW,
        seed: 3,
        retentionDays: 5,
        onProgress: (done) => progress.push(done),
      });
      assert.equal(report.runs, 12 * 24);
      assert.ok(report.checks > 12 * 12 * 24 * 0.9);
      assert.equal(progress.at(-1), report.checks);
      assert.ok(report.rolledUpOnly > 0);
      const cutoff = Math.floor((NOW - 5 * 86_400_000) / H) * H;
      const raw = await store.listChecks({});
      const recent = raw.filter((c) => c.checked_at >= cutoff);
      assert.equal(recent.length, report.checks - report.rolledUpOnly);
      // Older ones kept raw: only what the latest state needs, a few per model at most.
      assert.ok(raw.length - recent.length <= 12 * 24, `${raw.length - recent.length} older`);
      const mark = await store.client.execute(
        "SELECT value FROM store_meta WHERE name = 'raw_pruned_before'",
      );
      assert.equal(mark.rows[0].value, cutoff);

      // Rollups cover what raw checks no longer do: the 12 daily bars hold every check.
      const ids = [...new Set(raw.map((c) => c.model_id))];
      let total = 0;
      for (const id of (await store.listModels()).map((m) => m.id)) {
        const days = await dailyUptime(store, id, 13, NOW);
        total += days.reduce((n, d) => n + d.checks, 0);
        const skipped = await rangeStats(store, id, "30d", NOW);
        total += skipped.skipped;
      }
      assert.equal(total, report.checks);
      // Where raw checks remain, a range equals a count over them.
      for (const id of ids.slice(0, 4)) {
        const mine = raw.filter((c) =>
          c.model_id === id && c.checked_at > NOW - RANGE_MS["24h"] && c.checked_at <= NOW
        );
        const stats = await rangeStats(store, id, "24h", NOW);
        assert.equal(stats.ok, mine.filter((c) => c.status === "ok").length);
        assert.equal(stats.checks, mine.filter((c) => c.status !== "skipped").length);
      }
      const present = (await store.listModels({ presentOnly: true })).length;
      assert.equal(present, 12);
      await assert.rejects(
        () => fillDemo(store, { models: 2, days: 1, retentionDays: 0 }),
        /already holds checks/,
      );
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("demo command: fills a new file, refuses a used one, checks its flags", async () => {
  const dir = await Deno.makeTempDir({ prefix: "scouter-demo-cli-" });
  try {
    const run = (...args: string[]) => runCli(["demo", ...args], {}, dir);
    const ok = await run("--models", "8", "--days", "7", "--db-path", "d.db");
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^Wrote 16[89] scans, \d+ checks of \d+ models/);
    assert.match(ok.stdout, /deno task start --db-path d\.db/);
    // The alerts the history implies are recorded, as a server would have recorded them.
    const alerts = Number(ok.stdout.match(/; (\d+) alert events?\./)?.[1]);
    const store = await openStore({ path: `${dir}/d.db` });
    try {
      const events = await listAlertEvents(store.client, { limit: 500 });
      assert.equal(events.length, alerts);
      assert.ok(events.some((e) => e.kind === "model_down"), "the demo's outages are alerted");
    } finally {
      store.close();
    }
    const again = await run("--models", "4", "--days", "2", "--db-path", "d.db");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^error: the database already holds checks/);
    for (const args of [["--models", "0"], ["--days", "x"], ["--nope"]]) {
      const bad = await run(...args);
      assert.equal(bad.code, 2, bad.stderr);
      assert.equal(bad.stderr.trim().split("\n").length, 1);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
