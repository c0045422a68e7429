/**
 * A Scouter server in its own process, started as a deployment starts it: from a working
 * directory of the test's choosing, with exactly the permissions deno.json's `start` task
 * grants (less any the test takes away), and a clean environment.
 */
import { CONFIG, freePort, permissionsOf, waitFor } from "./run_cli.ts";

export { freePort, permissionsOf, waitFor };

const ROOT = new URL("../../", import.meta.url).pathname;

/** The `--allow-*` flags of the `start` task, read from deno.json (so they cannot drift). */
export const START_PERMISSIONS: string[] = permissionsOf(
  JSON.parse(await Deno.readTextFile(CONFIG)).tasks.start,
);

export interface ServerProcess {
  base: string;
  child: Deno.ChildProcess;
  /** Sends SIGTERM and returns the exit code and everything the server wrote. */
  stop(): Promise<{ code: number; output: string }>;
}

/**
 * Starts `entry` (a path in the repository: main.ts with `serve`, or deploy.ts) and waits for
 * /healthz. `permissions` defaults to the start task's.
 */
export async function startServer(opts: {
  entry: string;
  args?: string[];
  cwd: string;
  env: Record<string, string>;
  permissions?: string[];
}): Promise<ServerProcess> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${CONFIG}`,
      "--no-prompt",
      ...(opts.permissions ?? START_PERMISSIONS),
      `${ROOT}${opts.entry}`,
      ...(opts.args ?? []),
    ],
    cwd: opts.cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      NO_COLOR: "1",
      OPENROUTER_SCOUT_WEB_HOST: "127.0.0.1",
      OPENROUTER_SCOUT_WEB_PORT: String(port),
      ...opts.env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]).then(([out, err]) => out + err);
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already ended.
    }
    const { code } = await child.status;
    return { code, output: await output };
  };
  const until = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.body?.cancel().then(() => r.ok),
      () => false,
    );
    if (ok) break;
    const ended = await Promise.race([child.status, new Promise((r) => setTimeout(r, 100))]);
    if (ended || Date.now() > until) {
      const { output } = await stop();
      throw new Error(`the server did not start:\n${output}`);
    }
  }
  return { base, child, stop };
}

/** Every file and directory under `dir`, as sorted relative paths. */
export async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const path = `${prefix}${entry.name}`;
    out.push(path);
    if (entry.isDirectory) out.push(...await listTree(dir, `${path}/`));
  }
  return out.sort();
}
