/**
 * The scan card: the running scan's progress, or when the next one starts, or why scanning is
 * off. Hydrated, it polls `GET /api/summary` every `pollMs` while the tab is visible (never in
 * a hidden tab), updates the progress, and reloads the page once a scan has finished so every
 * number on it is current. The reload keeps the scroll position (the browser restores it) and
 * the table's filters (they live in the query string).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { Card } from "./card.tsx";
import { type LastRunView, LastScanCard } from "./last_scan_card.tsx";
import { formatRelative, formatUtc } from "./format.ts";
import { readSummary, type ScanningView, shouldReload } from "./live_summary.ts";

export interface LiveStatusProps {
  /** The scanner's state when the page was rendered. */
  scanning: ScanningView;
  /** The newest finished run the page shows; null on a fresh database. */
  lastRunId: number | null;
  /**
   * With it, the island also shows the last-scan card (the dashboard), so its "… ago" follows
   * the clock like the scan card's; a new finished run reloads the page anyway.
   */
  lastRun?: LastRunView | null;
  /** The server's clock when rendering (epoch ms), so both renders say the same thing. */
  now: number;
  /** Default 10 s. */
  pollMs?: number;
  summaryUrl?: string;
}

/** sessionStorage key: the run a reload was already done for (no reload loops). */
const RELOADED_KEY = "scouter-live-reloaded-for";

export default function LiveStatus(props: LiveStatusProps) {
  const [scanning, setScanning] = useState(props.scanning);
  const [now, setNow] = useState(props.now);
  const shown = useRef({ running: props.scanning.running !== null, lastRunId: props.lastRunId });

  useEffect(() => {
    const pollMs = props.pollMs ?? 10_000;
    const url = props.summaryUrl ?? "/api/summary";
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | null = null;

    const poll = async () => {
      inFlight?.abort();
      const ctl = (inFlight = new AbortController());
      try {
        const res = await fetch(url, {
          headers: { accept: "application/json" },
          // Revalidate every time: If-None-Match, and a 304 when nothing changed.
          cache: "no-cache",
          signal: ctl.signal,
        });
        const latest = res.ok ? readSummary(await res.json()) : null;
        if (latest) {
          if (shouldReload(shown.current, latest) && reloadOnce(latest.lastRunId)) return;
          if (latest.scanning.running) shown.current.running = true;
          setScanning(latest.scanning);
        }
      } catch {
        // offline, server restarting, aborted: try again at the next tick
      }
      setNow(Date.now());
      schedule();
    };
    const schedule = () => {
      clearTimeout(timer);
      if (document.visibilityState === "visible") timer = setTimeout(poll, pollMs);
    };
    const onVisibility = () => {
      clearTimeout(timer);
      inFlight?.abort();
      if (document.visibilityState === "visible") poll(); // catch up at once
    };

    document.addEventListener("visibilitychange", onVisibility);
    setNow(Date.now());
    schedule();
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      clearTimeout(timer);
      inFlight?.abort();
    };
  }, []);

  return (
    <>
      {props.lastRun !== undefined && <LastScanCard run={props.lastRun} now={now} />}
      <ScanCard scanning={scanning} now={now} />
    </>
  );
}

/** Reload, unless this very run already caused one (a page that keeps disagreeing with the API). */
function reloadOnce(runId: number | null): boolean {
  const key = String(runId);
  try {
    if (sessionStorage.getItem(RELOADED_KEY) === key) return false;
    sessionStorage.setItem(RELOADED_KEY, key);
  } catch {
    // storage disabled: reload anyway (at worst once per poll)
  }
  location.reload();
  return true;
}

export function ScanCard({ scanning, now }: { scanning: ScanningView; now: number }) {
  const { running } = scanning;
  if (running) {
    const p = running.progress;
    return (
      <Card
        title="Scan running"
        value={p ? `${p.done} / ${p.total}` : "starting…"}
        tone="text-sky-700 dark:text-sky-400"
      >
        {p && (
          <progress
            class="h-2 w-full appearance-none overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700 [&::-moz-progress-bar]:bg-sky-600 [&::-webkit-progress-bar]:bg-transparent [&::-webkit-progress-value]:bg-sky-600"
            max={Math.max(p.total, 1)}
            value={p.done}
            aria-label="Scan progress"
          />
        )}
        {p && (
          <p>
            {p.ok} ok · {p.failed} failed{p.skipped ? ` · ${p.skipped} skipped` : ""}
          </p>
        )}
        {running.started_at && (
          <p title={formatUtc(running.started_at)}>
            started {formatRelative(running.started_at, now)}
          </p>
        )}
      </Card>
    );
  }
  if (!scanning.enabled) {
    return (
      <Card title="Next scan" value="Scanning off" tone="text-slate-500 dark:text-slate-400">
        {/* A narrow card breaks the name at its underscore, not mid-word. */}
        <p>
          Set OPENROUTER_<wbr />API_KEY and restart.
        </p>
      </Card>
    );
  }
  const next = scanning.next_scan_at;
  const due = next !== null && Date.parse(next) <= now;
  return (
    <Card
      title="Next scan"
      value={next === null ? "not scheduled" : due ? "due now" : formatRelative(next, now)}
    >
      {next && <p>{formatUtc(next)}</p>}
      {scanning.schedule && <p>{scanning.schedule}</p>}
    </Card>
  );
}
