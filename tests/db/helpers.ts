/** Shared fixtures for the storage tests. */
import type { CatalogModel } from "../../lib/openrouter/types.ts";
import type { CheckResult } from "../../lib/domain/check.ts";

/** A fresh temp directory and a database path in it; `cleanup` removes both. */
export async function tempDb(): Promise<
  { dir: string; path: string; cleanup: () => Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "scouter-db-" });
  return {
    dir,
    path: `${dir}/sub dir/scouter.db`,
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

export function model(id: string, over: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id,
    name: `Model ${id}`,
    description: `About ${id}`,
    context_length: 131072,
    input_modalities: ["text"],
    output_modalities: ["text"],
    supported_parameters: ["max_tokens", "temperature"],
    expiration_date: null,
    created: 1_750_000_000,
    is_router: false,
    reasoning: null,
    ...over,
  };
}

export function check(modelId: string, over: Partial<CheckResult> = {}): CheckResult {
  return {
    model_id: modelId,
    status: "ok",
    checked_at: 1_000,
    http_status: 200,
    latency_ms: 812,
    ttft_ms: 640,
    attempts: 1,
    output_tokens: 2,
    tokens_per_second: 12.5,
    provider: "Chutes",
    error: null,
    skip_reason: null,
    answer: "OK",
    ...over,
  };
}
