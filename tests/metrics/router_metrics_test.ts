/** scouter_router_*: the router's counters in /metrics, fresh on every scrape, ids escaped. */
import assert from "node:assert/strict";
import { renderFamilies } from "../../lib/metrics/prometheus.ts";
import { type RouterCounters, routerFamilies } from "../../lib/metrics/router.ts";
import type { RouterStats } from "../../lib/router/router.ts";
import { createApp } from "../../routes/app.ts";
import { feature } from "../routes/feature_helpers.ts";
import { parsePrometheus, valueOf } from "./parse_prometheus.ts";

const EVIL = 'evil"\\model\nname:free';

function stats(over: Partial<RouterStats> = {}): RouterStats {
  return {
    requests: 7,
    answered: 5,
    failovers: 3,
    account_limit_waits: 2,
    account_limit_refusals: 1,
    per_model: {
      "a/a:free": { served: 4, failed: 1, breaker: "closed" },
      [EVIL]: { served: 1, failed: 3, breaker: "open" },
    },
    last_decisions: [],
    ...over,
  };
}

Deno.test("routerFamilies: counters, served and failed per model, one breaker state each, escaped ids", () => {
  const text = renderFamilies(routerFamilies(stats() satisfies RouterCounters));
  const p = parsePrometheus(text); // strict: a badly escaped label fails here
  assert.equal(valueOf(p, "scouter_router_enabled"), 1);
  assert.equal(valueOf(p, "scouter_router_requests_total"), 7);
  assert.equal(valueOf(p, "scouter_router_answered_total"), 5);
  assert.equal(valueOf(p, "scouter_router_failovers_total"), 3);
  assert.equal(valueOf(p, "scouter_router_account_limit_waits_total"), 2);
  assert.equal(valueOf(p, "scouter_router_account_limit_refusals_total"), 1);
  assert.equal(p.types.get("scouter_router_requests_total"), "counter");
  assert.equal(valueOf(p, "scouter_router_served_total", { model_id: "a/a:free" }), 4);
  assert.equal(valueOf(p, "scouter_router_served_total", { model_id: EVIL }), 1);
  assert.equal(valueOf(p, "scouter_router_failed_total", { model_id: EVIL }), 3);
  assert.equal(valueOf(p, "scouter_router_breaker_state", { model_id: EVIL, state: "open" }), 1);
  assert.equal(
    valueOf(p, "scouter_router_breaker_state", { model_id: EVIL, state: "closed" }),
    0,
  );
  assert.ok(text.includes('model_id="evil\\"\\\\model\\nname:free"'), text);
});

Deno.test("routerFamilies with the router off: only scouter_router_enabled 0", () => {
  const p = parsePrometheus(renderFamilies(routerFamilies(null)));
  assert.deepEqual(p.samples, [{ name: "scouter_router_enabled", labels: {}, value: 0 }]);
});

Deno.test("GET /metrics: the router's counters current on every scrape (the rest cached 10 s)", async () => {
  await using f = await feature(null);
  const off = parsePrometheus(await (await f.get("/metrics")).text());
  assert.equal(valueOf(off, "scouter_router_enabled"), 0);
  assert.equal(valueOf(off, "scouter_router_requests_total"), undefined);

  let current = stats();
  const app = createApp({ ...f.deps, router: { stats: () => current, since: 0 } }, () => {});
  const scrape = async () =>
    parsePrometheus(await (await app.request("http://scouter.test/metrics")).text());
  assert.equal(valueOf(await scrape(), "scouter_router_requests_total"), 7);
  current = stats({ requests: 8 });
  const next = await scrape();
  assert.equal(valueOf(next, "scouter_router_requests_total"), 8, "not the cached text's");
  assert.equal(valueOf(next, "scouter_build_info", { version: next.samples[0].labels.version }), 1);
});
