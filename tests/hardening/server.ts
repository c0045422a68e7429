/**
 * `main.ts serve` in its own process, as users run it (the `start` task's permissions), with
 * its stderr drained as it comes (an unread pipe would fill and block the server) and kept
 * for the test to read.
 */
import { freePort, MAIN, RUN_FLAGS, waitFor } from "../cli/run_cli.ts";

export { freePort, waitFor };

export interface ServerProcess {
  base: string;
  port: number;
  child: Deno.ChildProcess;
  /** Everything the server wrote to stderr (its log) and stdout so far. */
  logs(): string;
  /** SIGTERM, then waits for the exit; returns the exit code. */
  stop(): Promise<number>;
  /** SIGKILL, then waits for the exit. */
  kill9(): Promise<void>;
}

/** Starts the server in `dir` (its database: `dir/results/scouter.db`); resolves once it answers. */
export async function startServer(
  dir: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [...RUN_FLAGS, MAIN, "serve", "--host", "127.0.0.1", "--port", String(port)],
    cwd: dir,
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", NO_COLOR: "1", ...env },
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
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const proc: ServerProcess = {
    base,
    port,
    child,
    logs: () => text,
    async stop() {
      if (!exited) child.kill("SIGTERM");
      const s = await status;
      await drained;
      return s.code;
    },
    async kill9() {
      if (!exited) child.kill("SIGKILL");
      await status;
      await drained;
    },
  };
  const until = Date.now() + 30_000;
  while (true) {
    if (exited) throw new Error(`the server exited:\n${text}`);
    const res = await fetch(`${base}/healthz`).catch(() => null);
    await res?.body?.cancel();
    if (res?.ok) return proc;
    if (Date.now() > until) {
      await proc.kill9();
      throw new Error(`the server did not answer within 30 s:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET `path`, returning the status and the body as text. */
export async function get(base: string, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(base + path);
  return { status: res.status, text: await res.text() };
}
