/**
 * Formatting shared by islands and server components (bundled into the browser: keep it
 * small and dependency-free). Every function is pure; "now" is always a parameter.
 */

/** "812 ms", "1.4 s", "12 s"; an em dash for null. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

/** "99.5 %", "100 %"; "no data" for null (never 0 %). */
export function formatUptime(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return "no data";
  const rounded = Math.round(percent * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} %`;
}

/** The text colour of an uptime: green from 99 %, plain from 95 %, amber from 80 %, red below. */
export function uptimeTone(percent: number | null): string {
  if (percent === null) return "text-slate-400 dark:text-slate-500";
  if (percent >= 99) return "text-emerald-700 dark:text-emerald-400";
  if (percent >= 95) return "";
  if (percent >= 80) return "text-amber-700 dark:text-amber-400";
  return "text-red-700 dark:text-red-400";
}

/** "1 check", "3 checks": a count and its noun, in the singular only for one. */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** "131,072"; an em dash for null. */
export function formatCount(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return "—";
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "45 s", "12 min", "3 h", "2 d": a duration in words, rounded down. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** "1 min 42 s", "850 ms", "2 h 5 min": a scan's duration. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${s % 60} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** "5 min ago", "in 12 min", "just now", relative to `now` (epoch ms). */
export function formatRelative(iso: string | number, now: number): string {
  const t = typeof iso === "number" ? iso : Date.parse(iso);
  if (!Number.isFinite(t)) return "—";
  const diff = t - now;
  if (Math.abs(diff) < 5_000) return "just now";
  return diff < 0 ? `${formatSpan(-diff)} ago` : `in ${formatSpan(diff)}`;
}

/** "2026-11-27 10:00 UTC": absolute times are shown in UTC (the server has no time zone). */
export function formatUtc(iso: string | number | null): string {
  if (iso === null) return "—";
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return "—";
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * The path of a model's page. Model ids hold `/` and `:` (`meta-llama/llama-3.3:free`): each
 * segment is percent-encoded on its own so the link stays readable, except `:` and `@`. An id
 * with a `.` or `..` segment is encoded whole (its `/` as %2F): browsers collapse dot segments,
 * even percent-encoded ones.
 */
export function modelHref(id: string): string {
  const segments = id.split("/");
  if (segments.some((s) => s === "." || s === "..")) return `/models/${encodeURIComponent(id)}`;
  const encoded = segments.map((s) =>
    encodeURIComponent(s).replace(/%3A/gi, ":").replace(/%40/gi, "@")
  );
  return `/models/${encoded.join("/")}`;
}
