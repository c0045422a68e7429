/**
 * A time window split into the parts each source serves: whole UTC days from the daily rollups,
 * whole hours from the hourly ones, and only the partial hours at either end from raw checks.
 */
import { DAY_MS, HOUR_MS } from "../db/rollups.ts";

/** [from, to), integer epoch ms. */
export type Span = readonly [number, number];

export interface Pieces {
  raw: Span[];
  hourly: Span[];
  daily: Span | null;
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;
const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;

export interface PieceOptions {
  /** Use the daily rollups for whole days (else whole hours only). */
  days: boolean;
  /**
   * Raw checks before this time (a whole hour) were pruned (retention.ts); null if none were.
   * A window whose partial first hour lies there reads that hour's whole bucket instead: it then
   * starts on the hour, up to an hour early.
   */
  prunedBefore: number | null;
}

export function piecesOf(from: number, to: number, opts: PieceOptions): Pieces {
  if (to <= from) return { raw: [], hourly: [], daily: null };
  const firstHour = ceilTo(from, HOUR_MS);
  const lastHour = floorTo(to, HOUR_MS);
  if (firstHour >= lastHour) return { raw: [[from, to]], hourly: [], daily: null };

  const raw: Span[] = [];
  let hoursFrom = firstHour;
  if (from < firstHour) {
    if (opts.prunedBefore !== null && from < opts.prunedBefore) hoursFrom = floorTo(from, HOUR_MS);
    else raw.push([from, firstHour]);
  }
  if (lastHour < to) raw.push([lastHour, to]);

  const hourly: Span[] = [];
  const firstDay = ceilTo(hoursFrom, DAY_MS);
  const lastDay = floorTo(lastHour, DAY_MS);
  if (opts.days && firstDay < lastDay) {
    if (hoursFrom < firstDay) hourly.push([hoursFrom, firstDay]);
    if (lastDay < lastHour) hourly.push([lastDay, lastHour]);
    return { raw, hourly, daily: [firstDay, lastDay] };
  }
  hourly.push([hoursFrom, lastHour]);
  return { raw, hourly, daily: null };
}
