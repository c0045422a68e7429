/**
 * Deno Deploy reads the cron jobs of a deployment by evaluating the entry module: a
 * `Deno.cron` call must run at its top level, before the server starts. The scheduler registers
 * its job later, once the database is open (lib/cli/serve_command.ts). A deferred cron joins
 * the two: the entry (deploy.ts) registers `handler` with Deno.cron at its top level and gives
 * `register` to the scheduler as its CronRegister, which hands the scheduler's job over.
 *
 *   const cron = deferredCron(deploySchedule(env));
 *   Deno.cron(CRON_NAME, cron.schedule, { backoffSchedule: [] }, cron.handler);
 *   serveCommand([], { cron: cron.register, onStarted: cron.settle, scanOnStart: false });
 */
import { parse } from "dotenv";
import { SETTINGS } from "../config/settings.ts";
import type { EnvSource } from "../config/env.ts";
import type { Log } from "../log.ts";
import type { CronRegister } from "./cron.ts";

/** The scheduler's job name (scheduler.ts registers it under this name too). */
export const CRON_NAME = "scouter-scan";
/** The interval timing's tick: the scheduler decides each minute whether a scan is due. */
export const EVERY_MINUTE = "* * * * *";
/** How long a fired job waits for the server to finish starting before it gives up. */
export const START_WAIT_MS = 120_000;

export interface DeferredCron {
  /** For Deno.cron at the entry's top level. */
  readonly schedule: string;
  /** For Deno.cron: runs the scheduler's job (after waiting for it to be handed over). */
  handler(): Promise<void>;
  /** For the scheduler (SchedulerOptions.cron): takes its job instead of calling Deno.cron. */
  register: CronRegister;
  /** The server finished starting or gave up: a fired job stops waiting for the handover. */
  settle(): void;
}

/**
 * The schedule the scheduler will ask for (scheduler.ts: the cron expression, or a tick each
 * minute for an interval), read from the environment and `.env` without waiting: the entry
 * must call Deno.cron before anything else. An invalid OPENROUTER_SCOUT_CRON gives the
 * minute tick; the server then stops on the configuration error anyway.
 */
export function deploySchedule(env: EnvSource): string {
  const raw = env[SETTINGS.cron.env]?.trim();
  if (!raw) return EVERY_MINUTE;
  const parsed = SETTINGS.cron.schema.safeParse(raw);
  return parsed.success && parsed.data ? parsed.data : EVERY_MINUTE;
}

/** The process environment over `.env` in the working directory, as loadConfig merges them. */
export function deployEnv(processEnv: EnvSource, envFile = ".env"): EnvSource {
  let fileEnv: EnvSource = {};
  try {
    fileEnv = parse(Deno.readTextFileSync(envFile));
  } catch {
    // No .env (the usual case on Deno Deploy) or no permission to read it.
  }
  const merged = { ...fileEnv };
  for (const [name, value] of Object.entries(processEnv)) if (value !== "") merged[name] = value;
  return merged;
}

export function deferredCron(
  schedule: string,
  log: Log = console.error,
  startWaitMs = START_WAIT_MS,
): DeferredCron {
  let job: (() => Promise<void>) | null = null;
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => settle = resolve);

  return {
    schedule,
    async handler() {
      if (!job) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          settled,
          new Promise((resolve) => timer = setTimeout(resolve, startWaitMs)),
        ]);
        clearTimeout(timer);
      }
      // Null when scanning is off (no API key) or the server could not start: nothing to do.
      if (!job) return;
      await job();
    },
    register(name, wanted, options, handler) {
      if (wanted !== schedule) {
        log(
          `warning: the ${name} job asks for "${wanted}" but Deno.cron was registered with ` +
            `"${schedule}"; set OPENROUTER_SCOUT_CRON in the deployment's environment`,
        );
      }
      job = handler;
      settle();
      return new Promise((resolve) => {
        const stop = () => {
          job = null;
          resolve();
        };
        if (options.signal?.aborted) stop();
        else options.signal?.addEventListener("abort", stop, { once: true });
      });
    },
    settle: () => settle(),
  };
}
