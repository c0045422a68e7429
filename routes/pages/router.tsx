/**
 * `GET /router`: the OpenAI-compatible router's view — counters since the start, routed
 * requests and failovers per hour with the models that served them, breakers, the latest
 * decisions. Without the router it says how to turn it on, and still shows stored history.
 * Never kept by the response cache (its counters are in memory: see routes/api/router.ts).
 */
import type { Context } from "hono";
import { RangeTabs } from "../../components/RangeTabs.tsx";
import { ROUTER_RANGES, type RouterRange } from "../../lib/stats/router.ts";
import type { AppDeps } from "../../lib/web/deps.ts";
import { routerReport } from "../../lib/web/router_report.ts";
import { Code, Notice } from "../../components/Notice.tsx";
import { RouterChart } from "../../components/RouterChart.tsx";
import { RouterCounters } from "../../components/RouterCounters.tsx";
import { RouterDecisions } from "../../components/RouterDecisions.tsx";
import { RouterModels } from "../../components/RouterModels.tsx";
import { Section } from "../../components/Section.tsx";
import { Shell } from "../../components/Shell.tsx";
import { TimeAgo } from "../../islands/time_ago.tsx";
import { sendPage } from "./render.ts";
import { DEFAULT_BREAKER_POLICY as BREAKER } from "../../lib/router/breaker.ts";

export async function routerPage(c: Context, deps: AppDeps): Promise<Response> {
  const asked = c.req.query("range");
  // An unknown range falls back to the default, as the other pages' range links do.
  const range: RouterRange = (ROUTER_RANGES as readonly string[]).includes(asked ?? "")
    ? asked as RouterRange
    : "24h";
  const now = deps.now();
  const report = await routerReport(deps.store, deps.router, range, now);
  const base = new URL(c.req.url).origin;
  const page = (
    <Shell current="router">
      <div class="space-y-1">
        <h1 class="text-2xl font-semibold tracking-tight">Router</h1>
        <p class="text-sm text-slate-600 dark:text-slate-400">
          The OpenAI-compatible endpoint <Code>{`${base}/v1`}</Code>{" "}
          routes each chat request to the best measured free model and fails over before the client
          sees a byte. Every routed attempt is stored as a check (“routed” on the model pages);
          prompts and answers never are.
          {report.since && (
            <>
              {" "}Counters since the server started, <TimeAgo at={report.since} now={now} />.
            </>
          )}
        </p>
      </div>
      {!report.enabled && (
        <Notice tone="warning" title="The router is off">
          <p>
            Set <Code>OPENROUTER_SCOUT_ROUTER_TOKEN</Code>{" "}
            to a secret of at least 16 characters and restart Scouter. Clients then call{" "}
            <Code>{`${base}/v1`}</Code> with <Code>Authorization: Bearer &lt;token&gt;</Code>{" "}
            and the model <Code>scouter/free</Code> (see the README).
          </p>
        </Notice>
      )}
      {report.enabled && <RouterCounters report={report} />}
      <Section
        id="traffic"
        title="Routed requests per hour"
        intro="Requests and failovers (lines); answers by the model that served them (bars). Stored: it outlives restarts."
        aside={
          <RangeTabs
            current={range}
            ranges={ROUTER_RANGES}
            href={(r) => `/router?range=${r}`}
          />
        }
      >
        <RouterChart history={report.history} />
      </Section>
      <Section
        id="models"
        title="Models"
        intro={`Where requests went, and each model's circuit breaker: after ${BREAKER.threshold} ` +
          `failures in a row (routed or probed) it is skipped for ${
            BREAKER.coolDownMs / 60_000
          } min, then tried once.`}
      >
        <RouterModels report={report} />
      </Section>
      <Section
        id="decisions"
        title="Latest decisions"
        intro="The last 50 routed requests since the start, newest first: each model tried and what happened."
      >
        <RouterDecisions decisions={report.last_decisions} now={now} />
      </Section>
    </Shell>
  );
  return sendPage(c, page, { title: "Router · Scouter" });
}
