/**
 * Ctrl-C and SIGTERM for the long-running commands: the first asks for a graceful stop, a
 * second one quits at once (exit 130). A second signal that arrives right after the first is
 * the same keypress: the terminal sends SIGINT to the whole process group, and `deno task`
 * passes the one it gets on to its child, so the program receives it twice.
 */

/** Signals closer together than this are one request to stop. */
export const SAME_SIGNAL_MS = 1_000;

const SIGNALS: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];

export interface StopSignalOptions {
  /** The graceful stop, called once. */
  stop: () => void;
  /** Called instead of exiting when a later signal asks to quit at once (tests). */
  quit?: () => void;
  now?: () => number;
}

/** Listens for the stop signals until the returned function is called. */
export function onStopSignals(o: StopSignalOptions): () => void {
  const handler = stopSignalHandler(o);
  for (const s of SIGNALS) Deno.addSignalListener(s, handler);
  return () => {
    for (const s of SIGNALS) Deno.removeSignalListener(s, handler);
  };
}

/** The decision itself, apart from the signal plumbing. */
export function stopSignalHandler(o: StopSignalOptions): () => void {
  const now = o.now ?? (() => Date.now());
  const quit = o.quit ?? (() => Deno.exit(130));
  let firstAt: number | null = null;
  return () => {
    if (firstAt === null) {
      firstAt = now();
      o.stop();
    } else if (now() - firstAt >= SAME_SIGNAL_MS) {
      quit();
    }
  };
}
