import type { ScanProgress } from "./scan.ts";

/** What the server's scheduler tells the pages and the API about scanning. */
export interface ScannerStatus {
  /** False when no OPENROUTER_API_KEY is set: the server only shows what is stored. */
  enabled: boolean;
  /** Why scanning is off, and how to turn it on; null when enabled. */
  disabled_reason: string | null;
  /** Human-readable schedule: "every 1 h" or the cron expression. */
  schedule: string | null;
  /** The scan in progress in this deployment (this process, or another holding the lease). */
  running: {
    run_id: number | null;
    started_at: string;
    progress: ScanProgress | null;
  } | null;
  /** ISO 8601 of the next scheduled scan, when known. */
  next_scan_at: string | null;
}

export type ScanRequestResult = "started" | "busy" | "disabled";

/** The scheduler, as the web layer sees it. */
export interface ScanControl {
  status(): Promise<ScannerStatus>;
  /** Starts a scan now unless one is running (here or in another process). */
  requestScan(): Promise<ScanRequestResult>;
}
