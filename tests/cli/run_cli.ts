/** Runs `main.ts` as users do, in a subprocess, from an unrelated working directory. */
const ROOT = new URL("../../", import.meta.url).pathname;
export const MAIN = `${ROOT}main.ts`;
export const CONFIG = `${ROOT}deno.json`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `deno run` with exactly the permissions of the `scan` task, read from deno.json. */
const SCAN_TASK: string = JSON.parse(await Deno.readTextFile(CONFIG)).tasks.scan;
export const RUN_FLAGS = [
  "run",
  `--config=${CONFIG}`,
  ...SCAN_TASK.split(/\s+/).filter((word) => word.startsWith("--allow-")),
];

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
