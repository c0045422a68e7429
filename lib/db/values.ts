/**
 * Conversions between JavaScript values and what libSQL stores and returns.
 *
 * libSQL returns INTEGER columns as `number` by default, but `bigint` or `string` under other
 * `intMode`s; every reader goes through these helpers so the row types stay plain numbers.
 */
import type { Value } from "@libsql/client";

/**
 * Makes text safe to store. Two libsql quirks make this necessary:
 * - a NUL character truncates the string (the rest is silently lost), so it becomes U+FFFD;
 * - a lone surrogate is replaced by U+FFFD when bound directly, but one that reaches SQLite
 *   through a JSON `\uD800` escape (json_extract) is stored as invalid UTF-8, and reading that
 *   row back later aborts the whole process (a Rust panic in libsql). `toWellFormed` prevents it.
 */
export function cleanText(s: string): string {
  return s.toWellFormed().replaceAll("\0", "\uFFFD");
}

export function cleanTextOrNull(s: string | null | undefined): string | null {
  return s == null ? null : cleanText(s);
}

/** A finite number, rounded when the column is an integer; anything else is NULL. */
export function intOrNull(n: number | null | undefined): number | null {
  return typeof n === "number" && Number.isFinite(n) ? Math.round(n) : null;
}

/** The longest duration stored as a latency or TTFT: a day (no answer takes longer). */
export const MAX_DURATION_MS = 86_400_000;

/**
 * A duration in whole ms, or NULL when it cannot be one (negative, absurdly long, not a number):
 * imported history has held -500 and 1e15, which would poison every sum and percentile.
 */
export function msOrNull(n: number | null | undefined): number | null {
  const v = intOrNull(n);
  return v !== null && v >= 0 && v <= MAX_DURATION_MS ? v : null;
}

export function realOrNull(n: number | null | undefined): number | null {
  return typeof n === "number" && Number.isFinite(n) ? n : null;
}

export function num(v: Value | undefined): number {
  const n = numOrNull(v);
  if (n === null) throw new TypeError(`expected a number from the database, got ${String(v)}`);
  return n;
}

export function numOrNull(v: Value | undefined): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function str(v: Value | undefined): string {
  return strOrNull(v) ?? "";
}

export function strOrNull(v: Value | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  return new TextDecoder().decode(v);
}

export function bool(v: Value | undefined): boolean {
  return (numOrNull(v) ?? 0) !== 0;
}

/** Parses a stored JSON array of strings; a damaged value reads as empty rather than throwing. */
export function jsonStrings(v: Value | undefined): string[] {
  const parsed = parseJson(strOrNull(v));
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
}

export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
