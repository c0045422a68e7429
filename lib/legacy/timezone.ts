/**
 * The Python scouter wrote `run_datetime` as local wall-clock time with no offset. Turning it
 * into an instant needs the zone it was written in (the import's `--timezone`, by default this
 * machine's). Around a DST change: a time that happened twice (clocks set back) is taken as the
 * first of the two; a time that never happened (clocks set forward) is moved forward by the gap.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA time zone (or UTC) this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    format(zone);
    return true;
  } catch {
    return false;
  }
}

/** This machine's zone (UTC when it cannot tell). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** The offset of `zone` from UTC at instant `ms`, in ms (east positive). */
export function zoneOffset(ms: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of format(zone).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant of a wall-clock time in `zone`; `wall` is that time read as if it were UTC. */
export function wallToInstant(wall: number, zone: string): number {
  const before = zoneOffset(wall - 86_400_000, zone);
  const after = zoneOffset(wall + 86_400_000, zone);
  const candidates = [wall - before, wall - after]
    .filter((t) => zoneOffset(t, zone) === wall - t)
    .sort((a, b) => a - b);
  // None: the time fell in a gap; the offset before it moves it forward past the gap.
  return candidates[0] ?? wall - before;
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

/** Parses `YYYY-MM-DD HH:MM:SS[.ffffff]` as wall-clock time read as UTC; null when malformed. */
export function parseWallTime(text: string): number | null {
  const m = PATTERN.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  // Reject fields that roll over (2026-02-30, 25:00, 10:30:99) and two-digit years (Date.UTC
  // reads 0050 as 1950).
  const fields = [
    back.getUTCFullYear(),
    back.getUTCMonth() + 1,
    back.getUTCDate(),
    back.getUTCHours(),
    back.getUTCMinutes(),
    back.getUTCSeconds(),
  ];
  return fields.every((v, i) => v === [y, mo, d, h, mi, s][i]) ? t : null;
}
