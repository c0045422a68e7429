/**
 * A Scouter server in its own process, started as a deployment starts it: from a working
 * directory of the test's choosing, with exactly the permissions deno.json's `start` task
 * grants (less any the test takes away), and a clean environment. Its output is drained as it
 * comes (an unread pipe would fill and block the server) and kept for the test to read.
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
  port: number;
  child: Deno.ChildProcess;
  /** Everything the server wrote to stdout and stderr (its log) so far. */
  logs(): string;
  /** Sends SIGTERM and returns the exit code and everything the server wrote. */
  stop(): Promise<{ code: number; output: string }>;
  /** SIGKILL, then waits for the exit. */
  kill9(): Promise<void>;
}

/**
 * Starts `entry` (a path in the repository: main.ts with `serve`, or deploy.ts) and waits for
 * /healthz (at most 30 s). `permissions` defaults to the start task's.
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
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
    } catch {
      // the process is gone
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const end = async (signal: Deno.Signal) => {
    if (!exited) {
      try {
        child.kill(signal);
      } catch {
        // ended meanwhile
      }
    }
    const { code } = await status;
    await drained;
    return code;
  };
  const server: ServerProcess = {
    base: `http://127.0.0.1:${port}`,
    port,
    child,
    logs: () => text,
    stop: async () => ({ code: await end("SIGTERM"), output: text }),
    kill9: async () => void await end("SIGKILL"),
  };
  const until = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${server.base}/healthz`).then(
      (r) => r.body?.cancel().then(() => r.ok),
      () => false,
    );
    if (ok) return server;
    if (exited || Date.now() > until) {
      await server.kill9();
      throw new Error(`the server did not start:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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
