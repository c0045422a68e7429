/**
 * `main.ts serve` in its own process, as users run it (the `start` task's permissions), in
 * `dir` (its database: `dir/results/scouter.db`): tests/cli/server_process.ts, with `stop()`
 * answering the exit code alone.
 */
import { startServer as startProcess } from "../cli/server_process.ts";
import type { ServerProcess as Process } from "../cli/server_process.ts";
import { freePort, waitFor } from "../cli/run_cli.ts";

export { freePort, waitFor };

export interface ServerProcess extends Omit<Process, "stop"> {
  /** SIGTERM, then waits for the exit; returns the exit code. */
  stop(): Promise<number>;
}

/** Starts the server in `dir`; resolves once it answers. */
export async function startServer(
  dir: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const server = await startProcess({ entry: "main.ts", args: ["serve"], cwd: dir, env });
  return { ...server, stop: async () => (await server.stop()).code };
}

/** GET `path`, returning the status and the body as text. */
export async function get(base: string, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(base + path);
  return { status: res.status, text: await res.text() };
}
