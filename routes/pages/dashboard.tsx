/** `GET /`: the fleet's state now, its availability over 7 days, and every model. */
import type { Context } from "hono";
import {
  fleetAvailability,
  fleetSummary,
  lastFinishedRun,
  modelSummaries,
} from "../../lib/stats/mod.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { Island } from "../../lib/web/islands.tsx";
import { capabilitiesByModel } from "../../lib/stats/capabilities.ts";
import { toScanningView } from "../../islands/live_summary.ts";
import { parseTableState, toModelRow } from "../../islands/model_table_state.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { FleetCards } from "../../components/FleetCards.tsx";
import { FleetChart } from "../../components/FleetChart.tsx";
import { HealthDefinitions } from "../../components/HealthDefinitions.tsx";
import { toLastRunView } from "../../islands/last_scan_card.tsx";
import { ScanningOffNotice } from "../../components/ScanningOffNotice.tsx";
import { Section } from "../../components/Section.tsx";
import { Shell } from "../../components/Shell.tsx";
import { sendPage } from "./render.ts";
import { dashboardInsights } from "./insights.ts";
import { QuotaCard, QuotaWarning } from "../../components/QuotaCard.tsx";
import { RecentAlerts } from "../../components/RecentAlerts.tsx";
import { RecommendCard } from "../../components/RecommendCard.tsx";

export async function dashboardPage(c: Context, deps: AppDeps): Promise<Response> {
  const now = deps.now();
  const inTurn = staggered();
  const pendingInsights = inTurn(() => dashboardInsights(deps, now)); // beside the reads below
  const [scanning, summary, models, lastRun, fleet, caps] = await Promise.all([
    deps.scanner.status(),
    inTurn(() => fleetSummary(deps.store, now)),
    inTurn(() => modelSummaries(deps.store, now)),
    inTurn(() => lastFinishedRun(deps.store)),
    inTurn(() => fleetAvailability(deps.store, "7d", now)),
    inTurn(() => capabilitiesByModel(deps.store.client)),
  ]);
  const insights = await pendingInsights;
  const table = parseTableState(new URL(c.req.url).searchParams);
  const fresh = models.length === 0 && summary.last_updated === null;

  const page = (
    <Shell current="dashboard">
      <h1 class="sr-only">Scouter: OpenRouter free models</h1>
      {!scanning.enabled && <ScanningOffNotice reason={scanning.disabled_reason} />}
      <QuotaWarning plan={insights.quota} />

      <div class="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <FleetCards summary={summary} />
        <Island
          name="LiveStatus"
          props={{
            scanning: toScanningView(scanning),
            lastRunId: lastRun?.id ?? null,
            lastRun: lastRun && toLastRunView(lastRun),
            now,
          }}
        />
      </div>

      {fresh ? <EmptyState scanning={scanning} /> : (
        <>
          {insights.recommendation && (
            <Section
              id="recommend"
              title="Best free models now"
              intro="Working models ranked by how reliably they answered over 24 hours, then by speed."
            >
              <RecommendCard result={insights.recommendation} />
            </Section>
          )}
          <Section
            id="availability"
            title="Availability of the free fleet"
            intro="Share of all checks answered correctly, hour by hour over the last 7 days."
          >
            <FleetChart points={fleet} />
          </Section>
          <Section
            id="models"
            title="Models"
            intro="Uptime, median latency (p50) and time to first token over 24 hours; the trend is the latency of the latest checks. Capability chips: ✓ verified by a check, ✗ checked and missing, ? claimed by the catalog, not verified yet (hover for the detail)."
          >
            <Island
              name="ModelTable"
              props={{
                rows: models.map((m) => toModelRow(m, caps.get(m.model_id))),
                now,
                initial: table,
              }}
            />
          </Section>
          {insights.alerts && (
            <Section id="alerts" title="Recent alerts">
              <RecentAlerts events={insights.alerts} now={now} />
            </Section>
          )}
        </>
      )}

      {insights.quota && (
        <Section id="quota" title="Daily free quota">
          <QuotaCard plan={insights.quota} now={now} />
        </Section>
      )}

      <Section id="definitions" title="What the statuses mean">
        <HealthDefinitions />
      </Section>
    </Shell>
  );
  return sendPage(c, page, {
    title: "Scouter · OpenRouter free models",
    description: "Which of OpenRouter's free models answer right now, and how they did over time.",
  });
}

/**
 * Each read starts one event-loop turn after the previous one started. Embedded libSQL runs a
 * read synchronously on the main thread (~25 ms for all of them after a write): between turns,
 * cached answers go out instead of queueing behind the whole render. A remote database still
 * has every read in flight at once.
 */
function staggered(): <T>(read: () => Promise<T>) => Promise<T> {
  let start = Promise.resolve();
  return (read) => {
    start = start.then(() => new Promise<void>((r) => setTimeout(r, 0)));
    return start.then(read);
  };
}
