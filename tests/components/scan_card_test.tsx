import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import LiveStatus, { ScanCard } from "../../islands/LiveStatus.tsx";
import { LastScanCard, toLastRunView } from "../../islands/last_scan_card.tsx";
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

const LAST_RUN = toLastRunView({
  id: 7,
  started_at: "2026-11-27T10:00:00Z",
  finished_at: "2026-11-27T10:02:00Z",
  status: "quota_exhausted",
  trigger: "schedule",
  total_models: 12,
  ok_count: 2,
  failed_count: 0,
  skipped_count: 10,
  error: null,
  incident: null,
  traffic_measured: 0,
});

Deno.test("the last-scan card: when, how it ended, its counts spaced as words", () => {
  const html = renderToString(<LastScanCard run={LAST_RUN} now={NOW} />);
  assert.match(html, />2 ok · 0 failed · 10 skipped</);
  assert.match(text(html), /^Last scan 28 min ago/);
  assert.match(text(renderToString(<LastScanCard run={null} now={NOW} />)), /^Last scan none yet/);
});

Deno.test("LiveStatus shows the last-scan card only when given the last run (the dashboard)", () => {
  const withRun = text(
    renderToString(<LiveStatus scanning={IDLE} lastRunId={7} lastRun={LAST_RUN} now={NOW} />),
  );
  assert.match(withRun, /^Last scan 28 min ago .* Next scan in 30 min/);
  const runsPage = text(renderToString(<LiveStatus scanning={IDLE} lastRunId={7} now={NOW} />));
  assert.match(runsPage, /^Next scan/);
});
