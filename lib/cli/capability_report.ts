/**
 * `scan --capabilities --json`: each result gains `capabilities` (the round's verdicts for that
 * model, by capability), and the object gains `capability_round` (claimed, due, sent, waiting).
 * Without a round, neither field appears.
 */
import type { CapabilityResult } from "../scan/capabilities/round.ts";
import type { ScanOutcome } from "../scan/scan.ts";

type CapabilityJson = Pick<
  CapabilityResult,
  "verified" | "detail" | "category" | "fault" | "checked_at" | "sent" | "changed"
>;

export const capabilitiesJson = {
  of(outcome: ScanOutcome, modelId: string): { capabilities?: Record<string, CapabilityJson> } {
    const round = outcome.capabilities;
    if (!round) return {};
    const mine = round.results.filter((r) => r.model_id === modelId);
    const out: Record<string, CapabilityJson> = {};
    for (const r of mine) {
      out[r.capability] = {
        verified: r.verified,
        detail: r.detail,
        category: r.category,
        fault: r.fault,
        checked_at: r.checked_at,
        sent: r.sent,
        changed: r.changed,
      };
    }
    if (round.reasoning_recorded.includes(modelId)) {
      out.reasoning = {
        verified: true,
        detail: "reasoning seen in a health probe",
        category: null,
        fault: null,
        checked_at: outcome.finished_at,
        sent: false,
        changed: false,
      };
    }
    return { capabilities: out };
  },
  round(outcome: ScanOutcome) {
    const round = outcome.capabilities;
    if (!round) return {};
    return {
      capability_round: {
        claimed: round.claimed,
        due: round.due,
        sent: round.sent,
        waiting: round.waiting,
      },
    };
  },
};
