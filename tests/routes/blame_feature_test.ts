import assert from "node:assert/strict";
import type { CheckResult, Fault } from "../../lib/domain/check.ts";
import { blameSentence, failureBlame } from "../../lib/stats/blame.ts";
import { feature, H, NOW } from "./feature_helpers.ts";

const ID = "a/blamed:free";

function check(at: number, status: CheckResult["status"], fault: Fault | null): CheckResult {
  return {
    model_id: ID,
    status,
    checked_at: at,
    http_status: status === "ok" ? 200 : 429,
    latency_ms: 500,
    ttft_ms: 300,
    attempts: 1,
    output_tokens: 1,
    tokens_per_second: null,
    provider: null,
    error: status === "ok" ? null : "limited",
    skip_reason: status === "skipped" ? "quota" : null,
    answer: null,
    fault,
  };
}

Deno.test("the model page says who was at fault: '3 of 5 failures were OpenRouter's shared free capacity'", async () => {
  await using f = await feature({ models: [{ id: ID }], checks: [] });
  const run = await f.db.store.startRun({ trigger: "cli", started_at: NOW - 6 * H });
  const faults: [CheckResult["status"], Fault | null][] = [
    ["rate_limited", "shared_capacity"],
    ["rate_limited", "shared_capacity"],
    ["rate_limited", "shared_capacity"],
    ["rate_limited", "upstream"],
    ["wrong_answer", "model"],
    ["ok", null],
    ["skipped", "account"],
  ];
  for (const [i, [status, fault]] of faults.entries()) {
    await f.db.store.insertCheck(run, check(NOW - (6 - i * 0.5) * H, status, fault));
  }
  const blame = await failureBlame(f.db.store, ID, "24h", NOW);
  assert.deepEqual(blame, {
    failures: 5,
    by_fault: { shared_capacity: 3, upstream: 1, model: 1 },
  });
  const page = await (await f.get(`/models/${ID}?range=24h`)).text();
  assert.match(
    page,
    /3 of 5 failures were OpenRouter(&#x27;|'|&#39;)s shared free capacity; 1 the model(&#x27;|'|&#39;)s own, 1 its upstream provider(&#x27;|'|&#39;)s\./,
  );
  // The history API carries each check's fault.
  const history = await (await f.get(`/api/models/${ID}/history?range=24h`)).json();
  assert.deepEqual(
    history.map((p: { fault: string | null }) => p.fault),
    faults.map(([, fault]) => fault),
  );
});

Deno.test("blame sentences: all one party, none", () => {
  assert.equal(blameSentence({ failures: 0, by_fault: {} }), null);
  assert.equal(
    blameSentence({ failures: 2, by_fault: { openrouter: 2 } }),
    "All 2 failures were OpenRouter's own trouble.",
  );
  assert.equal(
    blameSentence({ failures: 1, by_fault: { unknown: 1 } }),
    "The one failure was not attributed (checked before blame was recorded).",
  );
});

Deno.test("an incident is shown on /api/runs and the runs page", async () => {
  await using f = await feature({ models: [{ id: ID }], checks: [] });
  const run = await f.db.store.startRun({ trigger: "cli", started_at: NOW - H });
  const text = "OpenRouter incident: 5 of 6 models failed with HTTP 502 at once";
  await f.db.store.finishRun(run, {
    status: "completed",
    finished_at: NOW - H + 1,
    incident: text,
  });
  const runs = await (await f.get("/api/runs")).json();
  assert.equal(runs[0].incident, text);
  const page = await (await f.get("/runs")).text();
  assert.match(page, /OpenRouter incident: 5 of 6 models failed with HTTP 502 at once/);
});
