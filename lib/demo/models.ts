/**
 * The demo's free models: plausible OpenRouter ids and names, each with a behaviour (latency
 * level and daily cycle, failure rates, 429 bursts, outages) and a time in the catalog.
 */
import type { CatalogModel } from "../openrouter/types.ts";
import { between, exponential, logNormal, pick, type Random } from "./random.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const VENDORS = [
  ["meta-llama", "llama"],
  ["qwen", "qwen3"],
  ["deepseek", "deepseek-chat"],
  ["google", "gemma-3"],
  ["mistralai", "mistral-small"],
  ["microsoft", "phi-4"],
  ["nvidia", "nemotron"],
  ["moonshotai", "kimi"],
  ["z-ai", "glm-4.5"],
  ["openai", "gpt-oss"],
  ["nousresearch", "hermes-3"],
  ["tngtech", "deepseek-r1t"],
  ["arliai", "qwq"],
  ["cognitivecomputations", "dolphin"],
  ["thudm", "glm-z1"],
  ["tencent", "hunyuan"],
  ["minimax", "minimax-m1"],
  ["agentica-org", "deepcoder"],
  ["shisa-ai", "shisa-v2"],
  ["liquid", "lfm"],
] as const;
const SIZES = ["7b", "8b", "12b", "14b", "20b", "24b", "27b", "32b", "70b", "120b", "235b"];
const TAGS = ["instruct", "chat", "it", "preview", "coder", "reasoning", "v2", "exp"];

/** How a model behaves over time. */
export interface Behaviour {
  /** Median latency of an answer, ms. */
  baseMs: number;
  /** Spread of the latency (sigma of its log). */
  sigma: number;
  /** Share of the latency until the first token. */
  ttftShare: number;
  /** Daily cycle: latency × (1 + amplitude × sin), peaking at `peakHour` UTC. */
  amplitude: number;
  peakHour: number;
  /** Chance of a scattered failure (5xx, timeout, empty answer, 429, …). */
  failRate: number;
  /** Chance of a wrong answer. */
  wrongRate: number;
  /** Upstream 429 bursts: most checks in them are `rate_limited`. */
  bursts: [number, number][];
  /** Outages: `down` (5xx, timeouts) or `gone` (404, no endpoint). */
  outages: { from: number; to: number; kind: "down" | "gone" }[];
}

export interface DemoModel {
  catalog: CatalogModel;
  behaviour: Behaviour;
}

/** `count` distinct ids. */
export function modelIds(r: Random, count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) {
    const [vendor, family] = pick(r, VENDORS);
    const base = `${vendor}/${family}-${pick(r, SIZES)}-${pick(r, TAGS)}`;
    let id = `${base}:free`;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}:free`;
    ids.add(id);
  }
  return [...ids];
}

function titleOf(id: string): string {
  const [vendor, rest] = id.replace(/:free$/, "").split("/");
  const words = (s: string) => s.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
  return `${words(vendor)}: ${words(rest)} (free)`;
}

/** Episodes of a Poisson process over [from, to): `perMonth` starts, lasting `hours` each. */
function episodes(
  r: Random,
  from: number,
  to: number,
  perMonth: number,
  hours: [number, number],
): [number, number][] {
  const out: [number, number][] = [];
  if (perMonth <= 0) return out;
  for (let t = from + exponential(r, (30 * DAY) / perMonth); t < to;) {
    const end = t + between(r, hours[0], hours[1]) * HOUR;
    out.push([Math.round(t), Math.round(end)]);
    t = end + exponential(r, (30 * DAY) / perMonth);
  }
  return out;
}

/** A model with its catalog facts and its behaviour over [from, to). */
export function demoModel(r: Random, id: string, from: number, to: number): DemoModel {
  const slow = r() < 0.08;
  const flaky = r() < 0.15;
  const behaviour: Behaviour = {
    baseMs: slow ? between(r, 11_000, 16_000) : logNormal(r, 1_400, 0.6),
    sigma: between(r, 0.15, 0.4),
    ttftShare: between(r, 0.25, 0.8),
    amplitude: between(r, 0.05, 0.5),
    peakHour: Math.floor(r() * 24),
    failRate: flaky ? between(r, 0.1, 0.3) : between(r, 0.003, 0.03),
    wrongRate: r() < 0.06 ? between(r, 0.1, 0.4) : 0,
    bursts: episodes(r, from, to, between(r, 0.5, 4), [1, 8]),
    outages: [
      ...episodes(r, from, to, between(r, 0, 0.8), [2, 30]).map(([a, b]) => ({
        from: a,
        to: b,
        kind: "down" as const,
      })),
      ...episodes(r, from, to, r() < 0.3 ? 0.15 : 0, [12, 96]).map(([a, b]) => ({
        from: a,
        to: b,
        kind: "gone" as const,
      })),
    ].sort((a, b) => a.from - b.from),
  };
  const reasoning = r() < 0.3;
  return {
    catalog: {
      id,
      name: titleOf(id),
      description: `A demo model standing in for ${id}.`,
      context_length: pick(r, [8192, 32768, 65536, 131072, 163840, 262144]),
      input_modalities: r() < 0.2 ? ["text", "image"] : ["text"],
      output_modalities: ["text"],
      supported_parameters: reasoning
        ? ["max_tokens", "temperature", "reasoning", "include_reasoning"]
        : ["max_tokens", "temperature", "top_p", "stop"],
      expiration_date: null,
      created: Math.floor((from - between(r, 1, 200) * DAY) / 1000),
      is_router: false,
      reasoning: reasoning
        ? { mandatory: r() < 0.3, supported_efforts: ["low", "medium", "high"] }
        : null,
    },
    behaviour,
  };
}
