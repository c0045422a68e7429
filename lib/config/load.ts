import { mergeEnv, readEnvFile, readProcessEnv } from "./env.ts";
import { type Config, ENV_NAMES, type FlagValues, resolveConfig } from "./settings.ts";

export interface LoadOptions {
  flags?: FlagValues;
  /** A `.env` the user named (must exist); otherwise `.env` in the working directory, if any. */
  envFile?: string | null;
  /** Defaults to the real process environment. */
  processEnv?: Record<string, string>;
}

/** Configuration from flags, the process environment and `.env`, in that order of precedence. */
export async function loadConfig(opts: LoadOptions = {}): Promise<Config> {
  const fileEnv = await readEnvFile(opts.envFile ?? ".env", opts.envFile != null);
  const processEnv = opts.processEnv ?? readProcessEnv(ENV_NAMES);
  return resolveConfig(mergeEnv(fileEnv, processEnv), opts.flags);
}
