/**
 * A capability round: after a scan's health probes, each model whose catalog claims tools,
 * structured output or image input is asked for the thing (tools.ts, json.ts, vision.ts) and
 * the verdict stored (lib/db/capabilities.ts); reasoning seen by the probes is recorded for
 * free (reasoning.ts).
 *
 * - at most one check per model × capability per interval
 *   (OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS), unless forced (`scan --capabilities`);
 * - every request goes through the scan's pacer (quota, reserve, per-minute limits) and, when
 *   the planner gives an allowance, never more than what the day has left after the health
 *   probes still planned (lib/planner/capability_budget.ts): the rest waits;
 * - a model whose health probe failed in this scan is not asked (its answer would be an outage,
 *   not a verdict);
 * - a failed request is inconclusive (verified null, its category and fault), never a "no".
 */
import type { Store } from "../../db/store.ts";
import {
  type Capability,
  CHECKED_CAPABILITIES,
  type CheckedCapability,
  claims,
} from "../../domain/capability.ts";
import type { CheckStatus, Fault } from "../../domain/check.ts";
import type { CatalogModel, ChatReply, ChatRequest } from "../../openrouter/types.ts";
import type { Judgement } from "./judgement.ts";
import { jsonRequest, judgeJson } from "./json.ts";
import { type CapabilityContext, sendCapabilityRequest } from "./send.ts";
import { judgeTools, toolsRequest } from "./tools.ts";
import { judgeVision, visionRequest } from "./vision.ts";

const HOUR_MS = 3_600_000;

export interface CapabilityRoundSettings {
  /** Hours between two checks of one model × capability; 0 turns scheduled rounds off. */
  intervalHours: number;
  /** `scan --capabilities`: every claiming model now, whatever the interval. */
  force?: boolean;
  /**
   * Requests this round may send now (the planner's share of what the day has left); null or
   * unset: only the pacer's limits.
   */
  allowance?: (() => Promise<number | null>) | null;
  /** Requests in flight at once (default 1). */
  concurrency?: number;
  /** false asks for plain JSON answers instead of streams (tests; default true). */
  stream?: boolean;
}

/** One check's outcome, as `scan --json` prints it. */
export interface CapabilityResult {
  model_id: string;
  capability: Capability;
  /** true / false; null: inconclusive (the request failed) or not sent. */
  verified: boolean | null;
  detail: string | null;
  /** The check status when the request failed; null when judged. */
  category: CheckStatus | null;
  fault: Fault | null;
  checked_at: string;
  /** False when no request went out (the quota ran out first): nothing stored. */
  sent: boolean;
  /** A conclusive verdict that changed an earlier one (a catalog event was written). */
  changed: boolean;
}

export interface CapabilityRoundReport {
  /** Model × capability pairs the catalog claims (reasoning excluded: no request). */
  claimed: number;
  /** Of those, due now (not checked within the interval, or forced). */
  due: number;
  /** Requests sent (attempts that reached OpenRouter). */
  sent: number;
  /** Due but left for later: beyond the planner's allowance. */
  waiting: number;
  results: CapabilityResult[];
  /** Models whose probes showed reasoning, recorded verified (no request). */
  reasoning_recorded: string[];
}

interface Check {
  build(model: CatalogModel, stream: boolean): ChatRequest;
  judge(reply: ChatReply): Judgement;
}

const CHECKS: Record<CheckedCapability, Check> = {
  tools: { build: toolsRequest, judge: judgeTools },
  json: { build: jsonRequest, judge: judgeJson },
  vision: { build: visionRequest, judge: judgeVision },
};

export interface RoundInput {
  /** The models this scan selected (catalog entries). */
  models: readonly CatalogModel[];
  /** Models whose probe failed in this scan: not asked. */
  failedProbes?: ReadonlySet<string>;
  /** Models whose probe answers showed reasoning. */
  reasoningSeen?: ReadonlySet<string>;
  runId: number | null;
}

/** The model × capability pairs the catalog claims, model by model. */
export function claimedChecks(
  models: readonly CatalogModel[],
): { model: CatalogModel; capability: CheckedCapability }[] {
  return models.flatMap((model) =>
    CHECKED_CAPABILITIES.filter((c) => claims(c, model)).map((capability) => ({
      model,
      capability,
    }))
  );
}

export async function runCapabilityRound(
  input: RoundInput,
  settings: CapabilityRoundSettings,
  ctx: CapabilityContext & { store: Store },
): Promise<CapabilityRoundReport> {
  const { store, clock } = ctx;
  const intervalMs = Math.max(0, settings.intervalHours) * HOUR_MS;
  const reasoningRecorded = await recordReasoning(input, intervalMs, settings.force ?? false, ctx);

  const failed = input.failedProbes ?? new Set<string>();
  const claimed = claimedChecks(input.models);
  const askable = claimed.filter((c) => !failed.has(c.model.id));
  let due = askable;
  if (!settings.force) {
    const open = await store.dueCapabilityChecks(
      askable.map((c) => ({ model_id: c.model.id, capability: c.capability })),
      clock.now(),
      intervalMs,
    );
    const dueKeys = new Set(open.map((k) => `${k.model_id}\u0000${k.capability}`));
    due = askable.filter((c) => dueKeys.has(`${c.model.id}\u0000${c.capability}`));
  }
  const total = due.length;
  const allowance = settings.allowance ? await settings.allowance() : null;
  let waiting = 0;
  if (allowance !== null && allowance < due.length) {
    waiting = due.length - Math.max(0, allowance);
    due = due.slice(0, Math.max(0, allowance));
    ctx.log(
      `capability checks: ${waiting} of ${total} wait for the next round ` +
        `(the day's quota is kept for the health probes)`,
    );
  }

  const results: CapabilityResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < due.length && !ctx.signal.aborted) {
      const { model, capability } = due[next++];
      results.push(await checkOne(model, capability, input.runId, settings, ctx));
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(settings.concurrency ?? 1, due.length)) }, worker),
  );
  const sent = results.filter((r) => r.sent).length;
  if (claimed.length > 0) {
    ctx.log(
      `capability checks: ${sent} sent of ${total} due (${claimed.length} claimed)` +
        verdictSummary(results),
    );
  }
  return {
    claimed: claimed.length,
    due: total,
    sent,
    waiting,
    results,
    reasoning_recorded: reasoningRecorded,
  };
}

async function checkOne(
  model: CatalogModel,
  capability: CheckedCapability,
  runId: number | null,
  settings: CapabilityRoundSettings,
  ctx: CapabilityContext & { store: Store },
): Promise<CapabilityResult> {
  const check = CHECKS[capability];
  const outcome = await sendCapabilityRequest(check.build(model, settings.stream ?? true), ctx);
  const base = { model_id: model.id, capability, checked_at: new Date(outcome.at).toISOString() };
  if (outcome.kind === "failed") {
    // Inconclusive: stored when a request went out (it spent quota), never a verdict.
    const failed = {
      ...base,
      verified: null,
      detail: outcome.detail.slice(0, 120),
      category: outcome.category,
      fault: outcome.fault,
      sent: outcome.sent,
      changed: false,
    };
    if (outcome.sent) {
      await ctx.store.recordCapabilityCheck({
        model_id: model.id,
        capability,
        verified: null,
        detail: failed.detail,
        category: failed.category,
        fault: failed.fault,
        checked_at: outcome.at,
        run_id: runId,
      });
    }
    return failed;
  }
  const judged = check.judge(outcome.reply);
  const recorded = await ctx.store.recordCapabilityCheck({
    model_id: model.id,
    capability,
    verified: judged.verified,
    detail: judged.detail,
    category: null,
    fault: null,
    checked_at: outcome.at,
    run_id: runId,
  });
  if (recorded.eventId !== null) {
    ctx.log(
      `capability ${judged.verified ? "gained" : "lost"}: ${model.id} ${capability}` +
        (judged.detail ? ` (${judged.detail})` : ""),
    );
  }
  return {
    ...base,
    verified: judged.verified,
    detail: judged.detail,
    category: null,
    fault: null,
    sent: true,
    changed: recorded.eventId !== null,
  };
}

/** Reasoning seen by the probes: verified true, once per interval (no request). */
async function recordReasoning(
  input: RoundInput,
  intervalMs: number,
  force: boolean,
  ctx: CapabilityContext & { store: Store },
): Promise<string[]> {
  const seen = input.reasoningSeen ?? new Set<string>();
  const candidates = input.models
    .filter((m) => seen.has(m.id))
    .map((m) => ({ model_id: m.id, capability: "reasoning" as const }));
  if (candidates.length === 0) return [];
  const now = ctx.clock.now();
  const due = force ? candidates : await ctx.store.dueCapabilityChecks(candidates, now, intervalMs);
  for (const c of due) {
    await ctx.store.recordCapabilityCheck({
      ...c,
      verified: true,
      detail: "reasoning seen in a health probe",
      category: null,
      fault: null,
      checked_at: now,
      run_id: input.runId,
    });
  }
  return due.map((c) => c.model_id);
}

function verdictSummary(results: readonly CapabilityResult[]): string {
  const yes = results.filter((r) => r.verified === true).length;
  const no = results.filter((r) => r.verified === false).length;
  const open = results.filter((r) => r.sent && r.verified === null).length;
  return results.length === 0 ? "" : `: ${yes} verified, ${no} not, ${open} inconclusive`;
}
