/**
 * The catalog itself failing — 5xx, a timeout, garbage, wrong types, an empty list — fails
 * the run with the reason, keeps the last known catalog (the pages and the API still show
 * every model), and never marks a model removed. The next good scan runs normally.
 */
import assert from "node:assert/strict";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import { runScan } from "../../lib/scan/scan.ts";
import { systemClock } from "../../lib/scan/clock.ts";
import type { CatalogFailure } from "../fake_openrouter.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { FAST_SETTINGS, TEST_KEY } from "../scan/helpers.ts";
import { appWorld } from "./app_world.ts";

const MODELS = [
  { id: "keep/alpha:free", name: "Keep Alpha" },
  { id: "keep/bravo:free", name: "Keep Bravo" },
  { id: "keep/charlie:free", name: "Keep Charlie" },
];

/** Catalog bodies with the right status and the wrong content. */
const GARBAGE: [string, string][] = [
  ["a truncated body", '{"data": [{"id": "keep/alpha:free", "name": "Ke'],
  ["a JSON array", "[]"],
  ["data that is a string", '{"data": "keep/alpha:free"}'],
  ["entries of the wrong types", '{"data": [1, null, "x", {"id": 42}, {"id": ""}, []]}'],
  ["an empty list", '{"data": []}'],
  [
    "only paid models",
    '{"data": [{"id": "openai/gpt", "pricing": {"prompt": "1", "completion": "1"}}]}',
  ],
  ["null", "null"],
];

Deno.test("a failing catalog fails the run, keeps the last known one, and removes nothing", async () => {
  const fake = await startFakeOpenRouter({ models: MODELS, apiKey: TEST_KEY });
  /** When set, GET /models answers this body (status 200) instead of the fake. */
  let catalogBody: string | null = null;
  /** When set, GET /models never answers (until aborted). */
  let catalogHangs = false;
  const fetchWithOverrides: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.endsWith("/models") && catalogHangs) {
      return new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))
      );
    }
    if (url.pathname.endsWith("/models") && catalogBody !== null) {
      return Promise.resolve(
        new Response(catalogBody, { headers: { "content-type": "application/json" } }),
      );
    }
    return fetch(input, init);
  };
  try {
    await using world = await appWorld({ openrouterUrl: fake.url, fetch: fetchWithOverrides });
    const scan = async () => {
      assert.equal(await world.scheduler.requestScan(), "started");
      await world.scheduler.idle();
      return (await world.store.listRuns(1))[0];
    };
    const first = await scan();
    assert.equal(first.status, "completed");

    const failures: string[] = [];
    for (const failure of ["http_500", "http_503", "not_json", "no_data"] as CatalogFailure[]) {
      fake.configure({ catalogFailure: failure });
      const run = await scan();
      assert.equal(run.status, "failed", failure);
      assert.match(run.error ?? "", /catalog/, failure);
      failures.push(failure);
    }
    fake.configure({ catalogFailure: null });
    for (const [what, body] of GARBAGE) {
      catalogBody = body;
      const run = await scan();
      assert.equal(run.status, "failed", what);
      assert.match(run.error ?? "", /catalog/, `${what}: ${run.error}`);
      failures.push(what);
    }
    catalogBody = null;

    // A catalog that never answers: the scan gives up on it (the timeout shortened here).
    catalogHangs = true;
    const hung = await runScan(FAST_SETTINGS, {
      openrouter: createOpenRouterClient({
        baseUrl: fake.url,
        apiKey: TEST_KEY,
        fetch: fetchWithOverrides,
      }),
      store: world.store,
      clock: systemClock,
      catalogTimeoutMs: 300,
    });
    assert.equal(hung.status, "failed");
    assert.match(hung.error ?? "", /could not read the model catalog: .*timed out/);
    catalogHangs = false;
    failures.push("a timeout");

    // Nothing was removed, and every model is still shown as in the catalog.
    const events = await world.store.listEvents({});
    assert.deepEqual(events.filter((e) => e.kind !== "added"), []);
    assert.equal((await world.store.listModels({ presentOnly: true })).length, MODELS.length);
    const api = await (await fetch(`${world.base}/api/models`)).json();
    assert.deepEqual(
      api.map((m: { model_id: string; present: boolean }) => [m.model_id, m.present]),
      MODELS.map((m) => [m.id, true]),
    );
    const summary = await (await fetch(`${world.base}/api/summary`)).json();
    assert.equal(summary.total_models, MODELS.length);
    const page = await (await fetch(`${world.base}/`)).text();
    for (const m of MODELS) assert.ok(page.includes(m.name), `the dashboard shows ${m.name}`);
    const model = await fetch(`${world.base}/models/${encodeURIComponent(MODELS[0].id)}`);
    assert.equal(model.status, 200);
    await model.body?.cancel();

    // Each failure is a failed run with its reason, on the API and the runs page.
    const runs = await (await fetch(`${world.base}/api/runs`)).json();
    const failed = runs.filter((r: { status: string }) => r.status === "failed");
    assert.equal(failed.length, failures.length);
    assert.ok(failed.every((r: { error: string | null }) => /catalog/.test(r.error ?? "")));
    assert.match(await (await fetch(`${world.base}/runs`)).text(), /failed/);

    // The next good scan is a normal one.
    const after = await scan();
    assert.equal(after.status, "completed");
    assert.equal(after.ok_count, MODELS.length);
    assert.deepEqual((await world.store.listEvents({})).filter((e) => e.kind !== "added"), []);
  } finally {
    await fake.close();
  }
});
