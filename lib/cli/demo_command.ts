/** `main.ts demo`: a new database filled with realistic synthetic history (lib/demo). */
import { parseArgs } from "node:util";
import { ConfigError } from "../config/errors.ts";
import { describeParseError } from "../config/flags.ts";
import { loadConfig } from "../config/load.ts";
import { openStore } from "../db/open.ts";
import { fillDemo } from "../demo/fill.ts";
import { formatDuration } from "./progress.ts";
import { runAlertPass } from "../alerts/engine.ts";
import { alertRulesOf } from "../domain/alerts.ts";
import { plural } from "../../islands/format.ts";

export const DEMO_DB_PATH = "results/demo.db";

export const DEMO_USAGE = `Usage: deno task demo [flags]

Fills a new database with realistic synthetic history (daily latency cycles, outages, 429
bursts, models coming and going), to try the dashboard without an API key:

  deno task demo && deno task start --db-path ${DEMO_DB_PATH}

  --models N             free models in the catalog at any time (default 100)
  --days D               days of history, ending now (default 30)
  --interval-minutes M   minutes between scans (default 60)
  --seed S               another seed, another history (default 1)
  --db-path PATH         the database to fill (default ${DEMO_DB_PATH}); one that already
                         holds checks is refused
  --env-file PATH        read settings from PATH instead of ./.env

Checks older than OPENROUTER_SCOUT_RETENTION_DAYS are kept in the rollups only, as the
server's retention would leave them.`;

const whole = (flag: string, v: string | undefined, def: number, min: number, max: number) => {
  if (v === undefined) return def;
  const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) {
    throw new ConfigError(`--${flag} must be a whole number from ${min} to ${max}`);
  }
  return n;
};

export async function demoCommand(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        models: { type: "string" },
        days: { type: "string" },
        "interval-minutes": { type: "string" },
        seed: { type: "string" },
        "db-path": { type: "string" },
        "env-file": { type: "string" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (e) {
    throw new ConfigError(describeParseError(e as Error));
  }
  if (values.help) {
    console.log(DEMO_USAGE);
    return 0;
  }
  const models = whole("models", values.models, 100, 1, 2_000);
  const days = whole("days", values.days, 30, 1, 3_650);
  const intervalMinutes = whole("interval-minutes", values["interval-minutes"], 60, 5, 1_440);
  const seed = whole("seed", values.seed, 1, 0, 2 ** 31);
  const path = values["db-path"] ?? DEMO_DB_PATH;
  const config = await loadConfig({ flags: { dbPath: path }, envFile: values["env-file"] ?? null });

  let store;
  try {
    store = await openStore({ path });
  } catch (e) {
    console.error(`error: cannot open the database: ${(e as Error).message}`);
    return 1;
  }
  try {
    const started = performance.now();
    let tenth = -1;
    const report = await fillDemo(store, {
      models,
      days,
      intervalMinutes,
      seed,
      retentionDays: config.retentionDays,
      onProgress: (done, total) => {
        const t = Math.floor((done / total) * 10);
        if (t > tenth) {
          tenth = t;
          console.error(`[${String(Math.min(100, t * 10)).padStart(3)}%] ${done} checks`);
        }
      },
    });
    // Replayed here as the server would have recorded them along the way, so the dashboard's
    // "Recent alerts", /api/events and the feed have something to show. Nothing is sent.
    const alerts = await runAlertPass(store, alertRulesOf(config), Date.now(), "demo");
    const secs = (performance.now() - started) / 1000;
    console.log(
      `Wrote ${report.runs} scans, ${report.checks} checks of ${report.models} models ` +
        `(${report.catalogChanges} catalog changes) to ${path} in ${formatDuration(secs * 1000)}` +
        ` (${Math.round(report.checks / secs)} checks/s)` +
        (report.rolledUpOnly
          ? `; the ${report.rolledUpOnly} older than ${config.retentionDays} days only in the ` +
            "rollups, as retention leaves them"
          : "") +
        `; ${plural(alerts.length, "alert event")}` +
        `.\nSee it: deno task start --db-path ${path}`,
    );
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  } finally {
    store.close();
  }
}
