import { openStore } from "../../lib/db/open.ts";
import type { Store } from "../../lib/db/store.ts";
import { createOpenRouterClient } from "../../lib/openrouter/client.ts";
import type { Clock } from "../../lib/scan/clock.ts";
import {
  runScan,
  type ScanDeps,
  type ScanOutcome,
  type ScanSettings,
} from "../../lib/scan/scan.ts";
import {
  type FakeModelSpec,
  type FakeOpenRouter,
  type FakeOpenRouterOptions,
  startFakeOpenRouter,
} from "../fake_openrouter.ts";

export const TEST_KEY = "sk-or-v1-test-key-0000-not-real-0000-scouter";

export const FAST_SETTINGS: ScanSettings = {
  prompt: "Respond with the exact text: OK",
  timeoutSeconds: 5,
  maxRetries: 2,
  concurrency: 4,
  requestDelaySeconds: 0,
  rpm: 100_000,
  modelIdContains: [],
  maxModels: null,
};

export interface ScanWorld {
  fake: FakeOpenRouter;
  store: Store;
  dir: string;
  logs: string[];
  scan(settings?: Partial<ScanSettings>, deps?: Partial<ScanDeps>): Promise<ScanOutcome>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fake OpenRouter, a real SQLite file in a temp dir, and a scan wired to both. */
export async function scanWorld(
  models: FakeModelSpec[],
  fakeOptions: Partial<FakeOpenRouterOptions> = {},
  clock?: Clock,
): Promise<ScanWorld> {
  const fake = await startFakeOpenRouter({
    models,
    apiKey: TEST_KEY,
    now: clock ? () => clock.now() : undefined,
    ...fakeOptions,
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-scan-" });
  const store = await openStore({ path: `${dir}/scouter.db` });
  const logs: string[] = [];
  const client = createOpenRouterClient({ baseUrl: fake.url, apiKey: TEST_KEY });
  return {
    fake,
    store,
    dir,
    logs,
    scan: (settings = {}, deps = {}) =>
      runScan({ ...FAST_SETTINGS, ...settings }, {
        openrouter: client,
        store,
        clock: clock ??
          { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
        random: () => 0.5,
        backoffBaseMs: 20,
        log: (m) => logs.push(m),
        ...deps,
      }),
    async [Symbol.asyncDispose]() {
      store.close();
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The result for each model id. */
export function byModel(outcome: ScanOutcome) {
  return Object.fromEntries(outcome.results.map((r) => [r.model_id, r]));
}
