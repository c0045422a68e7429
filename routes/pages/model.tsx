/**
 * `GET /models/{model_id}`: one model in full. Ids hold `/` and `:`; the raw and the
 * percent-encoded forms both work (the path after /models/ is decoded once, as a whole).
 */
import type { Context } from "hono";
import { dailyUptime, latencySeries, modelDetail, modelHistory } from "../../lib/stats/mod.ts";
import { type Range, RANGES } from "../../lib/stats/types.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { modelHref } from "../../islands/format.ts";
import { CatalogEvents } from "../../components/CatalogEvents.tsx";
import { CatalogFacts } from "../../components/CatalogFacts.tsx";
import { FailuresByCategory } from "../../components/FailuresByCategory.tsx";
import { FailureBlame } from "../../components/FailureBlame.tsx";
import { failureBlame } from "../../lib/stats/blame.ts";
import { LatencyChart } from "../../components/LatencyChart.tsx";
import { ModelHeader } from "../../components/ModelHeader.tsx";
import { RANGE_LABEL, RangeTabs } from "../../components/RangeTabs.tsx";
import { RecentChecks } from "../../components/RecentChecks.tsx";
import { Section } from "../../components/Section.tsx";
import { Shell } from "../../components/Shell.tsx";
import { UptimeLegend, UptimeStrip } from "../../components/UptimeStrip.tsx";
import { UptimeCards } from "../../components/UptimeCards.tsx";
import { notFoundPage } from "./not_found.tsx";
import { sendPage } from "./render.ts";
import { comparesRegions, regionStats } from "../../lib/stats/regions.ts";
import { RegionTable } from "../../components/RegionTable.tsx";
import { openRouterStatsOf } from "./insights.ts";
import { OpenRouterStats } from "../../components/OpenRouterStats.tsx";
import { CapabilityCard } from "../../components/CapabilityCard.tsx";
import { capabilitiesByModel, unknownCapabilities } from "../../lib/stats/capabilities.ts";

export const MODEL_PREFIX = "/models/";
/** Days in the status strip. */
export const STRIP_DAYS = 90;
/** Checks in the recent-checks table. */
export const RECENT_CHECKS = 50;
/**
 * Most checks the latency chart draws one by one (a week of scans every 5 minutes fits); a
 * range holding more is drawn per hour, day or week.
 */
export const CHART_CHECKS = 2_400;

/** The model id in a request path, or null when the path holds none (or a broken escape). */
export function modelIdFromPath(pathname: string): string | null {
  if (!pathname.startsWith(MODEL_PREFIX)) return null;
  try {
    const id = decodeURIComponent(pathname.slice(MODEL_PREFIX.length));
    return id === "" ? null : id;
  } catch {
    return null;
  }
}

function rangeParam(value: string | undefined): Range {
  return (RANGES as readonly string[]).includes(value ?? "") ? value as Range : "7d";
}

export async function modelPage(c: Context, deps: AppDeps): Promise<Response> {
  // The raw path, not Hono's (partly decoded) one: decoded here exactly once.
  const id = modelIdFromPath(new URL(c.req.url).pathname);
  if (id === null) return notFoundPage(c);
  const now = deps.now();
  const range = rangeParam(c.req.query("range"));
  // Started with the page's other reads; settled (never left rejected) if the model is unknown.
  const regionsRead = regionStats(deps.store, id, range, now);
  regionsRead.catch(() => {});
  const [model, latency, recent, days, blame, caps] = await Promise.all([
    modelDetail(deps.store, id, now),
    latencySeries(deps.store, id, range, now, CHART_CHECKS),
    modelHistory(deps.store, id, "90d", now, RECENT_CHECKS),
    dailyUptime(deps.store, id, STRIP_DAYS, now),
    failureBlame(deps.store, id, range, now),
    capabilitiesByModel(deps.store.client, [id]),
  ]);
  if (!model) return notFoundPage(c, "Scouter knows no model with this id.");
  const openRouter = await openRouterStatsOf(deps, model.model_id, now);

  const regions = await regionsRead;
  const href = (r: Range) => `${modelHref(model.model_id)}?range=${r}#latency`;
  const page = (
    <Shell>
      <ModelHeader model={model} now={now} />
      <Section id="uptime" title="Uptime">
        <UptimeCards stats={model.range_stats} />
      </Section>
      <Section
        id="capabilities"
        title="Capabilities"
        intro="What OpenRouter's catalog claims beside what Scouter's checks verified: each check asks the model to do the thing and judges the answer."
      >
        <CapabilityCard caps={caps.get(model.model_id) ?? unknownCapabilities()} now={now} />
      </Section>
      <Section
        id="daily"
        title={`Daily uptime, last ${STRIP_DAYS} days`}
        intro="One bar per UTC day; hover a bar for its numbers."
      >
        <UptimeStrip days={days} />
        <UptimeLegend />
      </Section>
      <Section
        id="latency"
        title="Latency over time"
        intro={`Latency and time to first token of the answered checks, over ${
          RANGE_LABEL[range]
        }: each check in short ranges, per hour, day or week in long ones.`}
        aside={<RangeTabs current={range} href={href} />}
      >
        <LatencyChart series={latency} name={model.name} rangeLabel={RANGE_LABEL[range]} />
      </Section>
      {comparesRegions(regions) && (
        <Section
          id="regions"
          title={`Latency by region, ${RANGE_LABEL[range]}`}
          intro="Scanners in several places check this model (OPENROUTER_SCOUT_REGION); each row is what one of them measured."
        >
          <RegionTable regions={regions} now={now} />
        </Section>
      )}
      <Section
        id="openrouter"
        title="OpenRouter's own stats"
        intro="Per endpoint (provider), as OpenRouter reported them at the latest scan."
      >
        <OpenRouterStats fetch={openRouter} ours={model.range_stats["24h"]} now={now} />
      </Section>
      <Section id="failures" title={`Failures by category, ${RANGE_LABEL[range]}`}>
        <FailureBlame blame={blame} />
        <FailuresByCategory stats={model.range_stats[range]} />
      </Section>
      <Section id="checks" title="Recent checks">
        <RecentChecks checks={[...recent].reverse()} now={now} />
      </Section>
      <Section id="catalog" title="In OpenRouter's catalog">
        <CatalogFacts model={model} now={now} />
      </Section>
      <Section id="events" title="Catalog changes">
        <CatalogEvents events={model.events} now={now} />
      </Section>
    </Shell>
  );
  return sendPage(c, page, {
    title: `${model.name} · Scouter`,
    description: `Health of ${model.model_id} on OpenRouter, measured by Scouter.`,
  });
}
