import assert from "node:assert/strict";
import {
  formatCount,
  formatDuration,
  formatMs,
  formatRelative,
  formatUptime,
  formatUtc,
  modelHref,
  plural,
  uptimeTone,
} from "../../islands/format.ts";
import { modelIdFromPath } from "../../routes/pages/model.tsx";

Deno.test("uptime: null is 'no data', never 0 %", () => {
  assert.equal(formatUptime(null), "no data");
  assert.equal(formatUptime(0), "0 %");
  assert.equal(formatUptime(100), "100 %");
  assert.equal(formatUptime(99.54), "99.5 %");
  assert.equal(formatUptime(95.0), "95 %");
});

Deno.test("uptime tone: green from 99 %, plain from 95 %, amber from 80 %, red below, muted for none", () => {
  assert.match(uptimeTone(99), /emerald/);
  assert.equal(uptimeTone(98.9), "");
  assert.equal(uptimeTone(95), "");
  assert.match(uptimeTone(94.9), /amber/);
  assert.match(uptimeTone(80), /amber/);
  assert.match(uptimeTone(79.9), /red/);
  assert.match(uptimeTone(null), /slate-400/);
});

Deno.test("latencies, counts, durations and times", () => {
  assert.equal(formatMs(null), "—");
  assert.equal(formatMs(812.4), "812 ms");
  assert.equal(formatMs(1440), "1.4 s");
  assert.equal(formatMs(12_600), "13 s");
  assert.equal(formatCount(131072), "131,072");
  assert.equal(formatCount(1_048_576), "1,048,576");
  assert.equal(formatCount(null), "—");
  assert.equal(formatDuration(102_512), "1 min 43 s");
  assert.equal(formatDuration(7_500_000), "2 h 5 min");
  assert.equal(formatDuration(null), "—");
  const now = Date.parse("2026-11-27T10:30:00Z");
  assert.equal(formatRelative("2026-11-27T10:25:00Z", now), "5 min ago");
  assert.equal(formatRelative("2026-11-27T11:00:00Z", now), "in 30 min");
  assert.equal(formatRelative("2026-11-25T10:30:00Z", now), "2 d ago");
  assert.equal(formatRelative(now - 2_000, now), "just now");
  assert.equal(formatRelative("garbage", now), "—");
  assert.equal(formatUtc("2026-11-27T10:30:59.999Z"), "2026-11-27 10:30 UTC");
  assert.equal(formatUtc(null), "—");
});

Deno.test("modelHref keeps ids readable and round-trips through the page's parser", () => {
  assert.equal(
    modelHref("meta-llama/llama-3.3-70b-instruct:free"),
    "/models/meta-llama/llama-3.3-70b-instruct:free",
  );
  const ids = [
    "meta-llama/llama-3.3-70b-instruct:free",
    "openrouter/free",
    "a/../b:free",
    "./x",
    "vendor/model?x=1#frag:free",
    'evil/"><svg onload=alert(1)>:free',
    "percent/100%:free",
    "space y/é ü:free",
    "a//b",
  ];
  for (const id of ids) {
    const href = modelHref(id);
    // What a browser would request: dot segments are not collapsed, nothing escapes the path.
    const url = new URL(href, "http://x");
    assert.equal(url.search, "", id);
    assert.equal(url.hash, "", id);
    assert.equal(modelIdFromPath(url.pathname), id, id);
  }
  assert.equal(modelIdFromPath("/models/"), null);
  assert.equal(modelIdFromPath("/models/%E0%A4%A"), null);
  assert.equal(modelIdFromPath("/other/x"), null);
});

Deno.test("plural: the singular only for one, counts grouped", () => {
  assert.equal(plural(1, "day"), "1 day");
  assert.equal(plural(0, "day"), "0 days");
  assert.equal(plural(2, "check"), "2 checks");
  assert.equal(plural(1_200, "check"), "1,200 checks");
});
