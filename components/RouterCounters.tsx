/** The router's counters since the server started: requests, answers, failovers, limits. */
import type { RouterReport } from "../lib/web/router_report.ts";
import { Card } from "../islands/card.tsx";
import { formatUptime, plural } from "../islands/format.ts";

export function RouterCounters({ report }: { report: RouterReport }) {
  const answeredShare = report.requests ? (report.answered / report.requests) * 100 : null;
  return (
    <div class="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" data-router-counters>
      <Card title="Requests" value={report.requests}>
        <p>routed since the start</p>
      </Card>
      <Card title="Answered" value={report.answered} tone="text-emerald-700 dark:text-emerald-400">
        <p>{answeredShare === null ? "none yet" : `${formatUptime(answeredShare)} of requests`}</p>
      </Card>
      <Card title="Failovers" value={report.failovers} tone="text-amber-700 dark:text-amber-400">
        <p>models tried after a request's first</p>
      </Card>
      <Card title="Account-limit waits" value={report.account_limit_waits}>
        <p>for the per-minute limit to lift</p>
      </Card>
      <Card
        title="Refused (429)"
        value={report.account_limit_refusals}
        tone={report.account_limit_refusals ? "text-red-700 dark:text-red-400" : undefined}
      >
        <p>{plural(report.account_limit_refusals, "request")} over the account's limits</p>
      </Card>
    </div>
  );
}
