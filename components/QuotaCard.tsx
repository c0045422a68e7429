/**
 * The quota planner on the dashboard: the account's daily free-model budget and how the
 * schedule spends it; a warning when the schedule alone would exceed it.
 */
import type { ComponentChildren } from "preact";
import type { QuotaPlan } from "../lib/planner/budget.ts";
import { formatCount, formatSpan } from "../islands/format.ts";
import type { QuotaSnapshot } from "../lib/scan/quota.ts";
import { Code, Notice } from "./Notice.tsx";

const TIER_TEXT = {
  free: "free tier",
  credits: "credits bought",
  unknown: "tier unknown, planned as the free tier",
} as const;

/** Shown at the top of the dashboard when the schedule alone exceeds the quota. */
export function QuotaWarning({ plan }: { plan: QuotaPlan | null }) {
  if (!plan?.warning) return null;
  return (
    <Notice tone="warning" title="The schedule exceeds the daily free quota">
      <p>{plan.warning}</p>
      <p>
        <a class="underline" href="#quota">How the schedule spends the quota</a>
      </p>
    </Notice>
  );
}

/** "38 of 50 free requests left today, resets in 5 h" (an estimate says so). */
export function quotaLine(q: QuotaSnapshot, now: number): string {
  const resets = Date.parse(q.resets_at) - now;
  return `${formatCount(q.remaining)} of ${formatCount(q.limit)} free requests left today` +
    (Number.isFinite(resets) && resets > 0 ? `, resets in ${formatSpan(resets)}` : "") +
    (q.source === "estimate" ? " (estimated: GET /key does not report the count)" : "");
}

export function QuotaCard({ plan, now }: { plan: QuotaPlan; now: number }) {
  const spread = plan.mode === "spread";
  return (
    <div class="space-y-3 text-sm">
      <p class="text-base font-medium" data-quota-source={plan.quota.source}>
        {quotaLine(plan.quota, now)}
      </p>
      <dl class="grid gap-x-6 gap-y-2 sm:grid-cols-2 lg:grid-cols-4">
        <Fact term="Daily budget">
          {formatCount(plan.daily_budget)}{" "}
          requests ({plan.quota.source === "key" ? "GET /key" : TIER_TEXT[plan.tier]})
          {plan.reserve + plan.kept_for_traffic > 0 && (
            <span class="block text-slate-500 dark:text-slate-400" data-probe-budget>
              probes may spend {formatCount(plan.probe_budget)}: {keptBackShort(plan)}
            </span>
          )}
        </Fact>
        <Fact term="The schedule sends">
          {formatCount(plan.requests_per_day_min)}–{formatCount(plan.requests_per_day_max)} a day
          {spread
            ? " (spread over the day)"
            : ` (${plan.scans_per_day} scans × ${plan.models_per_scan} models)`}
        </Fact>
        {plan.capability_requests_per_day > 0 && (
          <Fact term="Capability checks">
            up to {formatCount(plan.capability_requests_per_day)} a day{" "}
            <span class="text-slate-500 dark:text-slate-400">
              (only from what the health probes leave)
            </span>
          </Fact>
        )}
        <Fact term="Spent today">
          {plan.spent_today === null ? "—" : `${formatCount(plan.spent_today)} requests`}
          <span class="text-slate-500 dark:text-slate-400">(since 00:00 UTC)</span>
        </Fact>
        <Fact term="Headroom">
          <span class={plan.status === "over" ? "text-red-700 dark:text-red-400" : ""}>
            {formatCount(plan.headroom)} requests a day
          </span>
          {plan.status === "tight" && (
            <span class="text-amber-700 dark:text-amber-400">(tight if checks need retries)</span>
          )}
        </Fact>
      </dl>
      {!spread && plan.status !== "ok" && (
        <p class="text-slate-600 dark:text-slate-400">
          <Code>OPENROUTER_SCOUT_SPREAD_CHECKS=true</Code>{" "}
          spreads checks over the day within the budget, checking unstable models more often.
        </p>
      )}
    </div>
  );
}

/** "13 kept for routed traffic, 2 for your own apps". */
function keptBackShort(plan: QuotaPlan): string {
  return [
    plan.kept_for_traffic > 0
      ? `${formatCount(plan.kept_for_traffic)} kept for routed traffic`
      : "",
    plan.reserve > 0 ? `${formatCount(plan.reserve)} for your own apps` : "",
  ].filter((x) => x !== "").join(", ");
}

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div>
      <dt class="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {term}
      </dt>
      <dd class="tabular-nums">{children}</dd>
    </div>
  );
}
