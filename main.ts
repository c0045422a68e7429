/**
 * Scouter's one entry point: `scan` checks OpenRouter's free models once, `serve` runs the
 * dashboard with its scheduled scanner.
 */
import { ConfigError } from "./lib/config/errors.ts";
import { scanCommand } from "./lib/cli/scan_command.ts";

const USAGE = `Usage: scouter <command> [flags]

Commands:
  serve   the dashboard, JSON API and scheduled scanner (deno task start)
  scan    check every free model now, then exit (deno task scan)
  import-legacy PATH
          bring in the history of the Python scouter (deno task import-legacy)
  demo    fill a database with synthetic history, to try the dashboard (deno task demo)

Run a command with --help for its flags.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: () => Promise.resolve(scanCommand),
  // Loaded on demand: `scan` never pays for the web stack.
  serve: async () => (await import("./lib/cli/serve_command.ts")).serveCommand,
  "import-legacy": async () =>
    (await import("./lib/cli/import_legacy_command.ts")).importLegacyCommand,
  demo: async () => (await import("./lib/cli/demo_command.ts")).demoCommand,
};

export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(
      `scouter: unknown command ${JSON.stringify(name)} (try: serve, scan, import-legacy, demo)`,
    );
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`scouter ${name}: ${err.message}`);
      return 2;
    }
    // Anything else is a bug or an environment problem: one line, not a stack trace.
    console.error(`scouter ${name}: ${(err as Error)?.message ?? String(err)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
