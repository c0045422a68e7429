/** Shown at the top of the dashboard when the server does not scan (no API key). */
import { Code, Notice } from "./Notice.tsx";

const PREFIX = /^scanning is off:\s*/i;

export function ScanningOffNotice({ reason }: { reason: string | null }) {
  return (
    <Notice tone="warning" title="Scanning is off">
      <p>
        {reason?.replace(PREFIX, "") ??
          "This server does not scan; it shows what is already stored."}
      </p>
      <p>
        For example <Code>OPENROUTER_API_KEY=sk-or-v1-…</Code> in <Code>.env</Code>, then restart
        {" "}
        <Code>deno task start</Code>. To scan once without the server, run{" "}
        <Code>deno task scan</Code>.
      </p>
    </Notice>
  );
}
