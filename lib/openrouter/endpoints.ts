/**
 * GET /models/{author}/{slug}/endpoints: OpenRouter's own per-endpoint (per-provider) stats for
 * one model — uptime over the last 5 minutes, 30 minutes and day, time-to-first-token latency
 * percentiles (milliseconds) and throughput percentiles (tokens per second), the last 30
 * minutes. Not an inference request: it spends no free-model quota.
 *
 * Written from OpenRouter's OpenAPI document (`ListEndpointsResponse`, `PublicEndpoint`,
 * `PercentileStats`, `EndpointStatus`); no real sample is stored, so parsing is lenient: a
 * field of the wrong type reads as null, an entry that is not an object is skipped.
 */
import { z } from "zod";
import { USER_AGENT } from "../version.ts";
import {
  describeError,
  OpenRouterRequestError,
  parseErrorBody,
  type RequestFailureKind,
  scrubText,
} from "./errors.ts";

export interface Percentiles {
  p50: number | null;
  p75: number | null;
  p90: number | null;
  p99: number | null;
}

/** One endpoint (a provider serving the model), normalised. */
export interface EndpointStat {
  name: string | null;
  provider_name: string | null;
  tag: string | null;
  /** OpenRouter's EndpointStatus: 0 normal; negative values are degraded or offline states. */
  status: number | null;
  context_length: number | null;
  max_completion_tokens: number | null;
  quantization: string | null;
  /** Percentages, 0–100; null when OpenRouter has too little data. */
  uptime_5m: number | null;
  uptime_30m: number | null;
  uptime_1d: number | null;
  /** Time to first token over the last 30 minutes, milliseconds. */
  latency_ms: Percentiles | null;
  /** Tokens per second over the last 30 minutes (only sent to authenticated requests). */
  throughput_tps: Percentiles | null;
  /** Both prompt and completion priced exactly 0. */
  free: boolean;
}

/** Thrown when the endpoints of a model cannot be read. Never holds the API key. */
export class EndpointsError extends OpenRouterRequestError {
  constructor(
    message: string,
    opts: { kind: RequestFailureKind; status?: number | null },
  ) {
    super(message, opts);
    this.name = "EndpointsError";
  }
}

const optNumber = z.number().finite().nullish().catch(null);
const optString = z.string().max(500).nullish().catch(null);
const price = z.union([z.string(), z.number()]).nullish().catch(null);

const PercentileBody = z.looseObject({
  p50: optNumber,
  p75: optNumber,
  p90: optNumber,
  p99: optNumber,
}).nullish().catch(null);

const RawEndpoint = z.looseObject({
  name: optString,
  provider_name: optString,
  tag: optString,
  status: optNumber,
  context_length: optNumber,
  max_completion_tokens: optNumber,
  quantization: optString,
  uptime_last_5m: optNumber,
  uptime_last_30m: optNumber,
  uptime_last_1d: optNumber,
  latency_last_30m: PercentileBody,
  throughput_last_30m: PercentileBody,
  pricing: z.looseObject({ prompt: price, completion: price }).nullish().catch(null),
});

const Body = z.looseObject({
  data: z.looseObject({ endpoints: z.array(z.unknown()) }),
});

/**
 * The endpoints listed in a response body; null when the body is not an endpoints response
 * (no `data.endpoints` array). Malformed entries are skipped.
 */
export function parseEndpoints(body: unknown): EndpointStat[] | null {
  const parsed = Body.safeParse(body);
  if (!parsed.success) return null;
  const out: EndpointStat[] = [];
  for (const entry of parsed.data.data.endpoints) {
    const raw = RawEndpoint.safeParse(entry);
    if (!raw.success) continue;
    const e = raw.data;
    out.push({
      name: e.name ?? null,
      provider_name: e.provider_name ?? null,
      tag: e.tag ?? null,
      status: e.status ?? null,
      context_length: e.context_length ?? null,
      max_completion_tokens: e.max_completion_tokens ?? null,
      quantization: e.quantization ?? null,
      uptime_5m: percent(e.uptime_last_5m),
      uptime_30m: percent(e.uptime_last_30m),
      uptime_1d: percent(e.uptime_last_1d),
      latency_ms: percentiles(e.latency_last_30m),
      throughput_tps: percentiles(e.throughput_last_30m),
      free: isZero(e.pricing?.prompt) && isZero(e.pricing?.completion),
    });
  }
  return out;
}

function percent(v: number | null | undefined): number | null {
  return typeof v === "number" && v >= 0 && v <= 100 ? v : null;
}

function percentiles(v: z.infer<typeof PercentileBody>): Percentiles | null {
  if (!v) return null;
  const p = { p50: v.p50 ?? null, p75: v.p75 ?? null, p90: v.p90 ?? null, p99: v.p99 ?? null };
  return Object.values(p).every((x) => x === null) ? null : p;
}

function isZero(v: string | number | null | undefined): boolean {
  if (typeof v === "number") return v === 0;
  return typeof v === "string" && v.trim() !== "" && Number(v) === 0;
}

/**
 * `/models/{author}/{slug}/endpoints` for a model id (`meta-llama/llama-3.3-70b-instruct:free`);
 * each segment percent-encoded (`:` stays readable). Null when the id is not `author/slug`.
 */
export function endpointsPath(modelId: string): string | null {
  const slash = modelId.indexOf("/");
  if (slash <= 0 || slash === modelId.length - 1) return null;
  const enc = (s: string) => encodeURIComponent(s).replaceAll("%3A", ":");
  return `/models/${enc(modelId.slice(0, slash))}/${enc(modelId.slice(slash + 1))}/endpoints`;
}

/** The model id without its `:variant` suffix (`a/b:free` → `a/b`), or null when it has none. */
function withoutVariant(modelId: string): string | null {
  const m = /^(.+\/[^:]+):[^/:]+$/.exec(modelId);
  return m ? m[1] : null;
}

export interface EndpointsClientOptions {
  baseUrl: string;
  /** Sent when set: OpenRouter only shows throughput to authenticated requests. */
  apiKey: string | null;
  httpReferer?: string | null;
  xTitle?: string | null;
  fetch?: typeof fetch;
}

/** Reads one model's endpoints. */
export type EndpointsFetcher = (modelId: string, signal?: AbortSignal) => Promise<EndpointStat[]>;

/**
 * A fetcher for GET /models/{author}/{slug}/endpoints. For a variant (`…:free`) it asks for the
 * variant's own path first and falls back to the base model's on a 404; when the answer lists
 * both free and paid endpoints, only the free ones are kept (they are the ones a `:free` request
 * is routed to).
 */
export function createEndpointsFetcher(opts: EndpointsClientOptions): EndpointsFetcher {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const apiKey = opts.apiKey && opts.apiKey.trim() !== "" ? opts.apiKey.trim() : null;
  const doFetch = opts.fetch ?? fetch;

  async function get(modelId: string, signal?: AbortSignal): Promise<EndpointStat[]> {
    const path = endpointsPath(modelId);
    const what = `GET endpoints of ${JSON.stringify(modelId.slice(0, 200))}`;
    const fail = (message: string, kind: RequestFailureKind, status: number | null = null) =>
      new EndpointsError(scrubText(`${what}: ${message}`, apiKey), { kind, status });
    if (path === null) throw fail("the model id is not author/slug", "malformed");
    const headers = new Headers({ "User-Agent": USER_AGENT, Accept: "application/json" });
    if (apiKey) headers.set("Authorization", `Bearer ${apiKey}`);
    if (opts.httpReferer) headers.set("HTTP-Referer", opts.httpReferer);
    if (opts.xTitle) headers.set("X-Title", opts.xTitle);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}${path}`, { headers, signal });
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw fail("timed out or aborted", "timeout");
      throw fail(`network error: ${describeError(err)}`, "network");
    }
    let body: unknown;
    try {
      body = JSON.parse(text.trimStart());
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const error = parseErrorBody(body);
      throw fail(`HTTP ${res.status}${error ? `: ${error.message}` : ""}`, "http", res.status);
    }
    const endpoints = parseEndpoints(body);
    if (endpoints === null) {
      throw fail("the body is not an endpoints list (no data.endpoints)", "malformed", res.status);
    }
    return endpoints;
  }

  return async (modelId, signal) => {
    let endpoints: EndpointStat[];
    try {
      endpoints = await get(modelId, signal);
    } catch (err) {
      const baseId = withoutVariant(modelId);
      if (!(err instanceof EndpointsError && err.status === 404 && baseId)) throw err;
      endpoints = await get(baseId, signal);
    }
    const free = endpoints.filter((e) => e.free);
    return modelId.endsWith(":free") && free.length > 0 ? free : endpoints;
  };
}

/** A client with `getEndpoints` added (what the scan's OpenRouterPort may use). */
export function withEndpointStats<T extends object>(
  client: T,
  opts: EndpointsClientOptions,
): T & { getEndpoints: EndpointsFetcher } {
  return { ...client, getEndpoints: createEndpointsFetcher(opts) };
}
