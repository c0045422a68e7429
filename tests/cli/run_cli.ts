/** Runs `main.ts` as users do, in a subprocess, from an unrelated working directory. */
const ROOT = new URL("../../", import.meta.url).pathname;
export const MAIN = `${ROOT}main.ts`;
export const CONFIG = `${ROOT}deno.json`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The `--allow-*` flags of a task's command line (the `deno run`/`compile` part). */
export function permissionsOf(task: string): string[] {
  return task.split(/\s+/).filter((word) => word.startsWith("--allow-"));
}

/** `deno run` with exactly the permissions of the `scan` task, read from deno.json. */
const SCAN_TASK: string = JSON.parse(await Deno.readTextFile(CONFIG)).tasks.scan;
export const RUN_FLAGS = ["run", `--config=${CONFIG}`, ...permissionsOf(SCAN_TASK)];

/** A loopback port nobody listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Polls `probe` until it returns a value (not null), for at most `ms`. On a timeout the error
 * says what the probe last threw and what `context` returns (a server's log, say), so a
 * failure on a slow CI machine explains itself.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null>,
  ms = 30_000,
  context: () => string = () => "",
): Promise<T> {
  const until = Date.now() + ms;
  let lastError: unknown = null;
  while (Date.now() < until) {
    const value = await probe().catch((err) => {
      lastError = err;
      return null;
    });
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  const error = lastError === null ? "" : `\nthe probe last threw: ${String(lastError)}`;
  const detail = context();
  throw new Error(
    `timed out waiting for ${what} (${ms / 1000} s)${error}${detail ? `\n${detail}` : ""}`,
  );
}

export function cliCommand(args: string[], env: Record<string, string>, cwd: string) {
  return new Deno.Command(Deno.execPath(), {
    args: [...RUN_FLAGS, MAIN, ...args],
    cwd,
    env: { NO_COLOR: "1", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  });
}

export async function runCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CliResult> {
  const out = await cliCommand(args, { PATH: Deno.env.get("PATH") ?? "", ...env }, cwd).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}
