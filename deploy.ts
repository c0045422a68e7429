/**
 * Scouter on Deno Deploy: the dashboard and the scheduled scanner, with the database remote
 * (OPENROUTER_SCOUT_DATABASE_URL=libsql://…) and the web assets built before deploying.
 * Nothing is written to disk.
 *
 * Deploy finds cron jobs by evaluating this module, so the job is registered here, at the top
 * level; the scheduler takes it over once the server runs (lib/schedule/deferred_cron.ts).
 * No scan at start: an instance starts whenever a request finds none running.
 */
import { serveCommand } from "./lib/cli/serve_command.ts";
import { ConfigError } from "./lib/config/errors.ts";
import { readProcessEnv } from "./lib/config/env.ts";
import { ENV_NAMES } from "./lib/config/settings.ts";
import {
  CRON_NAME,
  deferredCron,
  deployEnv,
  deploySchedule,
} from "./lib/schedule/deferred_cron.ts";

const cron = deferredCron(deploySchedule(deployEnv(readProcessEnv(ENV_NAMES))));

// No retries: a failed scan is recorded and waits for its next turn (see scheduler.ts).
Deno.cron(CRON_NAME, cron.schedule, { backoffSchedule: [] }, cron.handler);

serveCommand([], { cron: cron.register, onStarted: cron.settle, scanOnStart: false })
  .catch((err) => {
    console.error(`scouter deploy: ${(err as Error)?.message ?? String(err)}`);
    return err instanceof ConfigError ? 2 : 1;
  })
  .then((code) => {
    cron.settle();
    // The top-level cron job would keep the process alive after the server stopped.
    Deno.exit(code);
  });
