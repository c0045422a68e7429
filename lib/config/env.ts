import { parse } from "dotenv";
import { ConfigError } from "./errors.ts";

/** A flat view of configuration variables: name → value. */
export type EnvSource = Record<string, string>;

/**
 * Reads a `.env` file. A missing default file is fine; a missing file the user named is not.
 */
export async function readEnvFile(path: string, required: boolean): Promise<EnvSource> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound && !required) return {};
    if (err instanceof Deno.errors.NotFound) throw new ConfigError(`env file not found: ${path}`);
    if (err instanceof Deno.errors.NotCapable) {
      throw new ConfigError(`no permission to read env file ${path}`);
    }
    throw new ConfigError(`cannot read env file ${path}: ${(err as Error).message}`);
  }
  return parse(text);
}

/**
 * Merges the `.env` values with the process environment. A non-empty process variable wins;
 * an empty one (`FOO=` exported by a shell or compose file) does not shadow the file.
 */
export function mergeEnv(fileEnv: EnvSource, processEnv: EnvSource): EnvSource {
  const merged: EnvSource = { ...fileEnv };
  for (const [name, value] of Object.entries(processEnv)) {
    if (value !== "") merged[name] = value;
  }
  return merged;
}

/** Reads the given variables from the process, tolerating a sandbox that denies some. */
export function readProcessEnv(names: readonly string[]): EnvSource {
  const out: EnvSource = {};
  for (const name of names) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) out[name] = value;
    } catch {
      // Not allowed to read this one (--allow-env lists others): treat it as unset.
    }
  }
  return out;
}
