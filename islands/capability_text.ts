/**
 * A capability's claim and verdict in words, shared by the models table's chips (browser) and
 * the model page's card (server): "claims tools · verified no, 3 h ago: answered in prose",
 * "doesn't claim vision", "claims json · not verified yet".
 */
import type { Capability } from "../lib/domain/capability.ts";
import { formatRelative } from "./format.ts";

/** What the chips and the card need of one capability (epoch ms keeps island props short). */
export interface CapabilityView {
  claimed: boolean;
  verified: boolean | null;
  /** Epoch ms of the deciding check; null when not verified. */
  at: number | null;
  detail: string | null;
}

/** The three looks a chip or a card line has. */
export type CapabilityTone = "yes" | "no" | "unknown";

export function capabilityTone(v: CapabilityView): CapabilityTone {
  return v.verified === true ? "yes" : v.verified === false ? "no" : "unknown";
}

/** ✓ verified, ✗ verified not to, ? claimed but not verified yet. */
export const TONE_MARK: Record<CapabilityTone, string> = { yes: "✓", no: "✗", unknown: "?" };

/** Whether there is anything to show: a claim, or a verdict without one. */
export function worthShowing(v: CapabilityView): boolean {
  return v.claimed || v.verified !== null;
}

/** The claim half: "claims tools" / "doesn't claim vision". */
export function claimText(c: Capability, v: CapabilityView): string {
  return v.claimed ? `claims ${c}` : `doesn't claim ${c}`;
}

/** The verdict half: "verified no, 3 h ago: answered in prose" / "not verified yet"; null
 * when there is neither a claim nor a verdict (nothing to verify). */
export function verdictText(v: CapabilityView, now: number): string | null {
  if (v.verified === null) return v.claimed ? "not verified yet" : null;
  const when = v.at === null ? "" : `, ${formatRelative(v.at, now)}`;
  return `verified ${v.verified ? "yes" : "no"}${when}${v.detail ? `: ${v.detail}` : ""}`;
}

/** The whole line: "claims tools · verified no, 3 h ago: answered in prose". */
export function capabilityLine(c: Capability, v: CapabilityView, now: number): string {
  const verdict = verdictText(v, now);
  return verdict === null ? claimText(c, v) : `${claimText(c, v)} · ${verdict}`;
}
