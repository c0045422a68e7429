/** The dashboard on a fresh database: what will happen, and how to make it happen. */
import type { ScannerStatus } from "../lib/scan/status.ts";
import { formatUtc } from "../islands/format.ts";
import { Code } from "./Notice.tsx";

export function EmptyState({ scanning }: { scanning: ScannerStatus }) {
  return (
    <div class="space-y-3 rounded-lg border border-dashed border-slate-300 p-6 text-sm dark:border-slate-700">
      <p class="text-base font-semibold">No checks yet.</p>
      {scanning.running
        ? <p>The first scan is running now; this page updates by itself when it ends.</p>
        : scanning.enabled
        ? (
          <p>
            The first scan starts when the server starts (unless{" "}
            <Code>OPENROUTER_SCOUT_SCAN_ON_START=false</Code>), then{" "}
            {scanning.schedule ?? "on schedule"}
            {scanning.next_scan_at && <>; the next one is due {formatUtc(scanning.next_scan_at)}</>}
            . This page updates by itself when a scan ends.
          </p>
        )
        : (
          <p>
            Scanning is off: set <Code>OPENROUTER_API_KEY</Code> in <Code>.env</Code>{" "}
            (or the environment) and restart the server, and the first scan starts at once.
          </p>
        )}
      <p>
        Or scan once from the command line, into the same database: <Code>deno task scan</Code> (try
        {" "}
        <Code>deno task scan --max-models 5</Code> for a quick look).
      </p>
    </div>
  );
}
