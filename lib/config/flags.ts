import { parseArgs } from "node:util";
import { ConfigError } from "./errors.ts";
import type { FlagValues, SettingKey } from "./settings.ts";

/** A command-line flag: the setting it overrides, or a switch of the command itself. */
interface FlagSpec {
  setting?: SettingKey;
  type: "string" | "boolean";
  /** Takes every following word that is not a flag (`--model-id-contains a b c`). */
  multiple?: boolean;
}

export interface ParsedFlags {
  values: FlagValues;
  envFile: string | null;
  json: boolean;
  help: boolean;
  /** `scan --allow-concurrent`: scan even while another scan holds the database's lease. */
  allowConcurrent: boolean;
  /** `scan --model ID [ID …]`: exactly these models, each probed; empty when not given. */
  models: string[];
  /** `scan --capabilities`: after the health probes, every claimed capability checked now. */
  capabilities: boolean;
}

const COMMON: Record<string, FlagSpec> = {
  "env-file": { type: "string" },
  "db-path": { setting: "dbPath", type: "string" },
  help: { type: "boolean" },
};

export const SCAN_FLAGS: Record<string, FlagSpec> = {
  ...COMMON,
  "timeout-seconds": { setting: "timeoutSeconds", type: "string" },
  "stall-seconds": { setting: "stallSeconds", type: "string" },
  "max-retries": { setting: "maxRetries", type: "string" },
  concurrency: { setting: "concurrency", type: "string" },
  "max-models": { setting: "maxModels", type: "string" },
  "model-id-contains": { setting: "modelIdContains", type: "string", multiple: true },
  "request-delay-seconds": { setting: "requestDelaySeconds", type: "string" },
  "repeat-count": { setting: "repeatCount", type: "string" },
  "repeat-interval-minutes": { setting: "repeatIntervalMinutes", type: "string" },
  prompt: { setting: "prompt", type: "string" },
  "healthcheck-prompt": { setting: "prompt", type: "string" },
  "fail-if-none-ok": { setting: "failIfNoneOk", type: "boolean" },
  json: { type: "boolean" },
  "allow-concurrent": { type: "boolean" },
  model: { type: "string", multiple: true },
  capabilities: { type: "boolean" },
};

export const SERVE_FLAGS: Record<string, FlagSpec> = {
  ...COMMON,
  host: { setting: "webHost", type: "string" },
  port: { setting: "webPort", type: "string" },
};

/**
 * Parses `args` against `specs`. Unknown flags, missing values and stray words are
 * ConfigErrors with one-line messages.
 */
export function parseFlags(args: string[], specs: Record<string, FlagSpec>): ParsedFlags {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type, multiple: spec.multiple === true };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: spreadMultiWordFlags(args, specs),
      options,
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new ConfigError(describeParseError(err as Error));
  }
  const values: FlagValues = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    const setting = specs[name]?.setting;
    if (!setting || value === undefined) continue;
    values[setting] = Array.isArray(value)
      ? value.join(",")
      : typeof value === "boolean"
      ? String(value)
      : value;
  }
  return {
    values,
    envFile: (parsed.values["env-file"] as string | undefined) ?? null,
    json: parsed.values.json === true,
    help: parsed.values.help === true,
    allowConcurrent: parsed.values["allow-concurrent"] === true,
    models: modelIdsOf(parsed.values.model),
    capabilities: parsed.values.capabilities === true,
  };
}

/** `--model a,b c`: the exact ids, trimmed, without repeats. */
function modelIdsOf(value: unknown): string[] {
  if (value === undefined) return [];
  const words = (Array.isArray(value) ? value : [value]).map(String);
  const ids = words.flatMap((w) => w.split(",")).map((w) => w.trim()).filter((w) => w !== "");
  if (ids.length === 0) throw new ConfigError("--model needs a model id");
  return [...new Set(ids)];
}

/** `--model-id-contains a b --json` → `--model-id-contains a --model-id-contains b --json`. */
function spreadMultiWordFlags(args: string[], specs: Record<string, FlagSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    out.push(arg);
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : null;
    if (!name || !specs[name]?.multiple) continue;
    let taken = 0;
    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
      if (taken > 0) out.push(arg);
      out.push(args[++i]);
      taken++;
    }
  }
  return out;
}

/** node:util parseArgs' error as one line a user understands. */
export function describeParseError(err: Error): string {
  const code = (err as { code?: string }).code;
  const flag = err.message.match(/'(-{1,2}[^' ]+)/)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown flag ${flag ?? ""}`.trim();
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const word = err.message.match(/'([^']*)'/)?.[1];
    return `unexpected argument ${JSON.stringify(word ?? "")}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    // `--json=1`: a switch given a value; `--max-retries -1`: the value looks like a flag.
    if (/does not take an argument/.test(err.message)) return `${flag ?? "a flag"} takes no value`;
    if (/ambiguous/.test(err.message)) {
      return `${flag} needs a value (one that starts with "-" is written ${flag}=-1)`;
    }
    return `${flag ?? "a flag"} needs a value`;
  }
  return err.message.split("\n")[0];
}
