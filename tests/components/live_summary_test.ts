import assert from "node:assert/strict";
import { readScanning, readSummary, shouldReload } from "../../islands/live_summary.ts";
import type { ScanningView } from "../../islands/live_summary.ts";
import type { ScannerStatus } from "../../lib/scan/status.ts";

const SUMMARY = {
  total_models: 3,
  scanning: {
    enabled: true,
    disabled_reason: null,
    schedule: "every 1 h",
    running: {
      run_id: 8,
      started_at: "2026-11-27T10:00:00Z",
      progress: { done: 1, total: 3, ok: 1, failed: 0, skipped: 0 },
    },
    next_scan_at: "2026-11-27T11:00:00Z",
  },
  last_run: { id: 7, status: "completed", finished_at: "2026-11-27T09:01:00Z" },
};

Deno.test("readSummary reads the API's summary and rejects what is not one", () => {
  const snap = readSummary(SUMMARY);
  assert.equal(snap?.lastRunId, 7);
  assert.equal(snap?.scanning.running?.progress?.done, 1);
  assert.equal(readSummary(null), null);
  assert.equal(readSummary({ error: "internal error" }), null);
  assert.equal(readSummary({ scanning: { enabled: "yes" } }), null);
  // Odd fields are read as unknown, not trusted.
  const odd = readSummary({
    scanning: { enabled: false, running: { progress: { done: "x" } }, next_scan_at: 5 },
    last_run: { id: "7" },
  });
  assert.deepEqual(odd, {
    scanning: {
      enabled: false,
      disabled_reason: null,
      schedule: null,
      running: { run_id: null, started_at: "", progress: null },
      next_scan_at: null,
    },
    lastRunId: null,
    lastRunStatus: null,
  });
});

Deno.test("reload when a scan the page saw has ended, or a newer finished run exists", () => {
  const snap = readSummary(SUMMARY)!;
  const idle = { ...snap, scanning: { ...snap.scanning, running: null } };
  // Still running, same last run: no.
  assert.equal(shouldReload({ running: true, lastRunId: 7 }, snap), false);
  // The running scan ended.
  assert.equal(shouldReload({ running: true, lastRunId: 7 }, idle), true);
  // A run finished that the page does not show (e.g. from `deno task scan`).
  assert.equal(shouldReload({ running: false, lastRunId: 6 }, idle), true);
  assert.equal(shouldReload({ running: false, lastRunId: null }, idle), true);
  // Nothing new.
  assert.equal(shouldReload({ running: false, lastRunId: 7 }, idle), false);
  assert.equal(
    shouldReload({ running: false, lastRunId: null }, { ...idle, lastRunId: null }),
    false,
  );
});

// The island cannot import lib/scan (it sits below it), so it mirrors the scanner's status in
// ScanningView: what the server sends must stay a ScanningView, or this file stops compiling.
const SERVER_STATUS: ScannerStatus = {
  enabled: true,
  disabled_reason: null,
  schedule: "every 1 h",
  running: {
    run_id: 3,
    started_at: "2026-11-27T10:00:00Z",
    progress: { done: 2, total: 5, ok: 1, failed: 1, skipped: 0, startedAt: 0 },
  },
  next_scan_at: null,
};

Deno.test("readScanning reads the scanner status the server sends, field for field", () => {
  // A ScannerStatus is a ScanningView (checked by the compiler); the reader keeps what it uses.
  const asView: ScanningView = SERVER_STATUS;
  const read = readScanning(JSON.parse(JSON.stringify(SERVER_STATUS)));
  assert.deepEqual(read, {
    ...asView,
    running: {
      ...asView.running!,
      progress: { done: 2, total: 5, ok: 1, failed: 1, skipped: 0 },
    },
  });
});
