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

/** Polls `probe` until it returns a value (not null), for at most `ms`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
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
