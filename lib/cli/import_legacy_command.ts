/** `main.ts import-legacy PATH`: brings the Python scouter's history into Scouter's database. */
import { parseArgs } from "node:util";
import { ConfigError } from "../config/errors.ts";
import { describeParseError } from "../config/flags.ts";
import { loadConfig } from "../config/load.ts";
import { openConfiguredStore } from "./setup.ts";
import { retentionCutoff } from "../db/retention.ts";
import { importLegacy, type ImportProgress, type ImportReport } from "../legacy/import.ts";
import { RATE_LIMIT_POLICIES, type RateLimitPolicy } from "../legacy/mapping.ts";
import { LegacyError, type LegacySource, openLegacy } from "../legacy/source.ts";
import { isTimeZone, systemTimeZone } from "../legacy/timezone.ts";
import { formatDuration } from "./progress.ts";

export const IMPORT_USAGE = `Usage: deno task import-legacy PATH [flags]

Imports the history of the Python scouter (openrouter-free-model-scouter) from its SQLite file
PATH into Scouter's database. Importing the same file again adds nothing twice.

  --timezone ZONE              the zone its local run times were written in
                               (IANA name, default: this machine's, ${systemTimeZone()})
  --rate-limited-as POLICY     its 429s: auto (default; a run whose last 10+ checks are 429s ran
                               out of the daily quota: those are skipped, the others
                               rate_limited), rate_limited, or skipped
  --db-path PATH               Scouter's SQLite file (default results/scouter.db)
  --env-file PATH              read settings from PATH instead of ./.env
  --json                       print the summary as JSON on stdout

Exit codes: 0 imported, 1 the import failed, 2 bad usage.`;

export async function importLegacyCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        timezone: { type: "string" },
        "rate-limited-as": { type: "string" },
        "db-path": { type: "string" },
        "env-file": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean" },
      },
    });
  } catch (e) {
    throw new ConfigError(describeParseError(e as Error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(IMPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new ConfigError("give the Python scouter's database file: import-legacy PATH");
  }
  const timeZone = values.timezone ?? systemTimeZone();
  if (!isTimeZone(timeZone)) {
    throw new ConfigError(`--timezone ${JSON.stringify(timeZone)} is not a known time zone`);
  }
  const policy = values["rate-limited-as"] ?? "auto";
  if (!(RATE_LIMIT_POLICIES as readonly string[]).includes(policy)) {
    throw new ConfigError(`--rate-limited-as must be one of ${RATE_LIMIT_POLICIES.join(", ")}`);
  }
  const config = await loadConfig({
    flags: values["db-path"] === undefined ? {} : { dbPath: values["db-path"] },
    envFile: values["env-file"] ?? null,
  });

  if (!config.databaseUrl && sameFile(positionals[0], config.dbPath)) {
    throw new ConfigError(
      `${positionals[0]} is the database to import into as well: give Scouter's own with --db-path`,
    );
  }
  let src: LegacySource;
  try {
    src = await openLegacy(positionals[0]);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
  const store = await openConfiguredStore(config, (line) => console.error(line));
  if (!store) {
    src.close();
    return 1;
  }
  const show = progressPrinter(values.json === true);
  try {
    const report = await importLegacy(store, src, {
      timeZone,
      rateLimited: policy as RateLimitPolicy,
      // What retention would prune goes to the rollups only (lib/db/bulk_writer.ts).
      rawFrom: retentionCutoff(config.retentionDays, Date.now()),
      onProgress: show,
    });
    show(null);
    if (values.json) console.log(JSON.stringify(report));
    else console.log(summary(report, timeZone, config.retentionDays));
    return 0;
  } catch (e) {
    show(null);
    const message = e instanceof LegacyError ? e.message : `import failed: ${(e as Error).message}`;
    console.error(`error: ${message}`);
    return 1;
  } finally {
    src.close();
    store.close();
  }
}

/** A live line on a terminal, a line per 10 % otherwise; `null` ends it. */
function progressPrinter(quiet: boolean): (p: ImportProgress | null) => void {
  const tty = !quiet && Deno.stderr.isTerminal();
  const start = performance.now();
  let shownTenth = -1;
  let live = false;
  const enc = new TextEncoder();
  return (p) => {
    if (p === null) {
      if (live) Deno.stderr.writeSync(enc.encode("\n"));
      live = false;
      return;
    }
    if (quiet || p.totalRows === 0) return;
    const share = p.rows / p.totalRows;
    const elapsed = performance.now() - start;
    const eta = share > 0 && share < 1 ? ` · ETA ${formatDuration(elapsed / share - elapsed)}` : "";
    const line = `[${String(Math.floor(share * 100)).padStart(3)}%] ${p.rows}/${p.totalRows} ` +
      `rows read · ${p.runs}/${p.totalRuns} runs written${eta}`;
    if (tty) {
      Deno.stderr.writeSync(enc.encode(`\r${line}\x1b[K`));
      live = true;
    } else {
      // A line per tenth of the rows read, and the last one once every run is written.
      const tenth = p.runs === p.totalRuns && share === 1 ? 11 : Math.floor(share * 10);
      if (tenth > shownTenth) console.error(line);
      shownTenth = Math.max(shownTenth, tenth);
    }
  };
}

function summary(r: ImportReport, zone: string, retentionDays: number): string {
  const day = (ms: number | null) => ms === null ? "?" : new Date(ms).toISOString().slice(0, 16);
  const rate = r.ms > 0 ? Math.round(r.checks / (r.ms / 1000)) : 0;
  const lines = [
    r.runs === 0
      ? `Nothing to import: ${r.runsAlready} run(s) were imported before.`
      : `Imported ${r.runs} runs (${r.checks} checks) from ${day(r.first)} to ${day(r.last)} ` +
        `UTC (local times read in ${zone}) in ${(r.ms / 1000).toFixed(1)} s, ${rate} checks/s.`,
  ];
  const statuses = Object.entries(r.byStatus).sort((a, b) => b[1] - a[1]);
  if (statuses.length) lines.push(`  ${statuses.map(([s, n]) => `${s} ${n}`).join(" · ")}`);
  if (r.quotaSkipped) {
    lines.push(`  ${r.quotaSkipped} 429s at the end of runs taken as the daily quota (skipped)`);
  }
  if (r.runs > 0 && r.runsAlready) lines.push(`  ${r.runsAlready} run(s) already imported`);
  if (r.runsEmpty) lines.push(`  ${r.runsEmpty} run(s) without checks, recorded failed`);
  if (r.orphanRows) lines.push(`  ${r.orphanRows} row(s) naming no run or no model, left out`);
  if (r.rolledUpOnly > 0) {
    lines.push(
      `The ${r.rolledUpOnly} checks older than ${retentionDays} days ` +
        "(OPENROUTER_SCOUT_RETENTION_DAYS) are in the rollups (every uptime, percentile and " +
        "chart) but not in the check lists.",
    );
  }
  return lines.join("\n");
}

/** Whether two paths name one existing file (false when either does not exist). */
function sameFile(a: string, b: string): boolean {
  try {
    return Deno.realPathSync(a) === Deno.realPathSync(b);
  } catch {
    return false;
  }
}
