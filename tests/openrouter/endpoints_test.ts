import assert from "node:assert/strict";
import {
  createEndpointsFetcher,
  EndpointsError,
  endpointsPath,
  parseEndpoints,
} from "../../lib/openrouter/endpoints.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";

/** The example of OpenRouter's OpenAPI document (ListEndpointsResponse), as documented. */
const SPEC_EXAMPLE = {
  data: {
    id: "openai/gpt-4",
    name: "GPT-4",
    created: 1692901234,
    description: "GPT-4 is a large multimodal model.",
    architecture: {
      tokenizer: "GPT",
      instruct_type: "chatml",
      modality: "text->text",
      input_modalities: ["text"],
      output_modalities: ["text"],
    },
    endpoints: [{
      name: "OpenAI: GPT-4",
      model_id: "openai/gpt-4",
      model_name: "GPT-4",
      context_length: 8192,
      pricing: { prompt: "0.00003", completion: "0.00006", request: "0", image: "0" },
      provider_name: "OpenAI",
      tag: "openai",
      quantization: "fp16",
      max_completion_tokens: 4096,
      max_prompt_tokens: 8192,
      supported_parameters: ["temperature", "top_p", "max_tokens"],
      status: 0,
      uptime_last_30m: 99.5,
      uptime_last_5m: 100,
      uptime_last_1d: 99.8,
      supports_implicit_caching: true,
      latency_last_30m: { p50: 0.25, p75: 0.35, p90: 0.48, p99: 0.85 },
      throughput_last_30m: { p50: 45.2, p75: 38.5, p90: 28.3, p99: 15.1 },
    }],
  },
};

Deno.test("parses the documented shape", () => {
  const [e] = parseEndpoints(SPEC_EXAMPLE) ?? [];
  assert.deepEqual(e, {
    name: "OpenAI: GPT-4",
    provider_name: "OpenAI",
    tag: "openai",
    status: 0,
    context_length: 8192,
    max_completion_tokens: 4096,
    quantization: "fp16",
    uptime_5m: 100,
    uptime_30m: 99.5,
    uptime_1d: 99.8,
    latency_ms: { p50: 0.25, p75: 0.35, p90: 0.48, p99: 0.85 },
    throughput_tps: { p50: 45.2, p75: 38.5, p90: 28.3, p99: 15.1 },
    free: false,
  });
});

Deno.test("lenient: odd fields read as null, odd entries are skipped, a non-list is refused", () => {
  const list = parseEndpoints({
    data: {
      endpoints: [
        "not an object",
        null,
        {
          provider_name: 42,
          status: "down",
          uptime_last_30m: 140,
          uptime_last_1d: null,
          latency_last_30m: null,
          throughput_last_30m: "fast",
          pricing: { prompt: 0, completion: "0" },
        },
      ],
    },
  });
  assert.equal(list?.length, 1);
  const e = list![0];
  assert.equal(e.provider_name, null);
  assert.equal(e.status, null);
  assert.equal(e.uptime_30m, null, "a percentage above 100 is not believed");
  assert.equal(e.latency_ms, null);
  assert.equal(e.throughput_tps, null, "unauthenticated: null");
  assert.equal(e.free, true);
  assert.equal(parseEndpoints({ data: { endpoints: "none" } }), null);
  assert.equal(parseEndpoints({ error: { message: "x" } }), null);
  assert.deepEqual(parseEndpoints({ data: { endpoints: [] } }), []);
});

Deno.test("the path keeps the variant and encodes each segment", () => {
  assert.equal(
    endpointsPath("meta-llama/llama-3.3-70b-instruct:free"),
    "/models/meta-llama/llama-3.3-70b-instruct:free/endpoints",
  );
  assert.equal(endpointsPath("a b/c?d#e"), "/models/a%20b/c%3Fd%23e/endpoints");
  assert.equal(endpointsPath("a/b/c"), "/models/a/b%2Fc/endpoints");
  assert.equal(endpointsPath("openrouter"), null);
  assert.equal(endpointsPath("/x"), null);
});

Deno.test("against the fake: the variant's path, else the base model's free endpoints", async () => {
  const fake = await startFakeOpenRouter({
    models: [
      {
        id: "a/two:free",
        endpoints: [{ provider_name: "Chutes" }, { provider_name: "Targon", uptime_last_1d: 71.5 }],
      },
      { id: "b/broken:free", endpoints: "http_500" },
    ],
    apiKey: TEST_KEY,
  });
  try {
    const get = createEndpointsFetcher({ baseUrl: fake.url, apiKey: TEST_KEY });
    const two = await get("a/two:free");
    assert.deepEqual(two.map((e) => [e.provider_name, e.uptime_1d]), [["Chutes", 98.7], [
      "Targon",
      71.5,
    ]]);
    const req = fake.requests.at(-1)!;
    assert.equal(req.path, "/api/v1/models/a/two:free/endpoints");
    assert.equal(req.headers.authorization, `Bearer ${TEST_KEY}`, "throughput needs the key");

    // An OpenRouter that only knows base slugs: 404 on the variant, then the base, whose paid
    // endpoint is left out.
    fake.configure({ endpointsBaseSlugOnly: true });
    const viaBase = await get("a/two:free");
    assert.deepEqual(viaBase.map((e) => e.provider_name), ["Chutes", "Targon"]);
    assert.deepEqual(fake.requests.slice(-2).map((r) => r.path), [
      "/api/v1/models/a/two:free/endpoints",
      "/api/v1/models/a/two/endpoints",
    ]);

    await assert.rejects(
      () => get("b/broken:free"),
      (err) =>
        err instanceof EndpointsError && err.status === 500 && !err.message.includes(TEST_KEY),
    );
    await assert.rejects(() => get("nobody/none:free"), /HTTP 404: Model not found/);
  } finally {
    await fake.close();
  }
});
