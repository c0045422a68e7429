import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { ScanCard } from "../../islands/LiveStatus.tsx";
import type { ScanningView } from "../../islands/live_summary.ts";

const NOW = Date.parse("2026-11-27T10:30:00Z");
const IDLE: ScanningView = {
  enabled: true,
  disabled_reason: null,
  schedule: "every 1 h",
  running: null,
  next_scan_at: "2026-11-27T11:00:00Z",
};
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();

Deno.test("the scan card: next scan, running progress, scanning off", () => {
  assert.equal(
    text(renderToString(<ScanCard scanning={IDLE} now={NOW} />)),
    "Next scan in 30 min 2026-11-27 11:00 UTC every 1 h",
  );
  const overdue = renderToString(<ScanCard scanning={IDLE} now={NOW + 3_600_000} />);
  assert.ok(text(overdue).startsWith("Next scan due now"));
  const running = renderToString(
    <ScanCard
      scanning={{
        ...IDLE,
        running: {
          run_id: 3,
          started_at: "2026-11-27T10:28:00Z",
          progress: { done: 5, total: 20, ok: 4, failed: 1, skipped: 0 },
        },
      }}
      now={NOW}
    />,
  );
  assert.match(running, /<progress [^>]*max="20" value="5"/);
  assert.equal(text(running), "Scan running 5 / 20 4 ok · 1 failed started 2 min ago");
  const off = renderToString(
    <ScanCard scanning={{ ...IDLE, enabled: false, next_scan_at: null }} now={NOW} />,
  );
  assert.ok(text(off).includes("Scanning off"));
});
