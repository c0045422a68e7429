/**
 * Verified capabilities: what a free model really does when asked, beside what the catalog
 * claims. The catalog's `supported_parameters` says what a model's endpoints accept; a check
 * (lib/scan/capabilities/) asks for the thing and judges the answer.
 *
 * - `tools`: calls a function tool with JSON arguments;
 * - `json`: answers a strict `json_schema` response format with JSON matching the schema;
 * - `vision`: names the colour of a tiny image;
 * - `reasoning`: seen for free in ordinary probes (reasoning deltas or reasoning tokens).
 */
import type { CheckStatus, Fault } from "./check.ts";

export const CAPABILITIES = ["tools", "json", "vision", "reasoning"] as const;
export type Capability = typeof CAPABILITIES[number];

/** The catalog facts a claim is read from (both arrays as OpenRouter lists them). */
export interface CapabilityClaimFacts {
  supported_parameters: readonly string[];
  input_modalities: readonly string[];
}

/** The catalog's claim behind each capability (what makes a check applicable). */
export function claims(c: Capability, m: CapabilityClaimFacts): boolean {
  const params = m.supported_parameters ?? [];
  switch (c) {
    case "tools":
      return params.includes("tools");
    case "json":
      return params.includes("response_format") || params.includes("structured_outputs");
    case "vision":
      return (m.input_modalities ?? []).includes("image");
    case "reasoning":
      return params.includes("reasoning") || params.includes("include_reasoning");
  }
}

/** The capabilities a model's catalog entry claims, in CAPABILITIES order. */
export function claimedCapabilities(m: CapabilityClaimFacts): Capability[] {
  return CAPABILITIES.filter((c) => claims(c, m));
}

export function isCapability(s: string): s is Capability {
  return (CAPABILITIES as readonly string[]).includes(s);
}

/** The capabilities a check round sends a request for (reasoning is seen in health probes). */
export const CHECKED_CAPABILITIES = [
  "tools",
  "json",
  "vision",
] as const satisfies readonly Capability[];
export type CheckedCapability = typeof CHECKED_CAPABILITIES[number];

/** One capability check's outcome, as judged (before storage). */
export interface CapabilityVerdict {
  capability: Capability;
  /** true / false; null = inconclusive: the request itself failed (see `category`). */
  verified: boolean | null;
  /** Short, never the model's full answer (≤ 120 characters): "answered in prose". */
  detail: string | null;
  /** The check status (lib/domain/check.ts) when the request failed; null when judged. */
  category: CheckStatus | null;
  /** Who was at fault when the request failed (model | upstream | account | openrouter …). */
  fault: Fault | null;
}

/** A verdict's detail is a short line: longer text is cut, control characters dropped. */
export const CAPABILITY_DETAIL_MAX = 120;

export function shortDetail(s: string | null | undefined): string | null {
  if (s == null) return null;
  // deno-lint-ignore no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  if (clean === "") return null;
  return clean.length <= CAPABILITY_DETAIL_MAX
    ? clean
    : clean.slice(0, CAPABILITY_DETAIL_MAX - 1) + "…";
}
