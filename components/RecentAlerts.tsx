/** The latest alert events (GET /api/events), with where to follow them. */
import type { AlertEvent } from "../lib/domain/alerts.ts";
import { modelHref } from "../islands/format.ts";
import { TimeAgo } from "../islands/time_ago.tsx";

const TONE: Record<AlertEvent["kind"], string> = {
  model_down: "text-red-700 dark:text-red-400",
  model_recovered: "text-emerald-700 dark:text-emerald-400",
  model_added: "text-sky-700 dark:text-sky-400",
  model_removed: "text-slate-600 dark:text-slate-400",
  model_expiring: "text-amber-700 dark:text-amber-400",
  capability_lost: "text-fuchsia-700 dark:text-fuchsia-400",
};

const LABEL: Record<AlertEvent["kind"], string> = {
  model_down: "down",
  model_recovered: "back",
  model_added: "new",
  model_removed: "gone",
  model_expiring: "expiring",
  capability_lost: "capability lost",
};

export function RecentAlerts({ events, now }: { events: AlertEvent[]; now: number }) {
  return (
    <div class="space-y-2 text-sm">
      {events.length === 0
        ? <p class="text-slate-600 dark:text-slate-400">No alerts yet.</p>
        : (
          <ul class="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {events.map((e) => (
              <li key={e.id} class="flex flex-wrap items-baseline gap-x-3 px-3 py-1.5">
                <span class={`w-16 shrink-0 text-xs font-semibold uppercase ${TONE[e.kind]}`}>
                  {LABEL[e.kind]}
                </span>
                <a href={modelHref(e.model_id)} class="min-w-0 flex-1 hover:underline">
                  {e.title}
                </a>
                <span class="text-xs text-slate-500 dark:text-slate-400">
                  <TimeAgo at={new Date(e.at).toISOString()} now={now} />
                </span>
              </li>
            ))}
          </ul>
        )}
      <p class="text-xs text-slate-500 dark:text-slate-400">
        Follow them: <a class="underline" href="/feed.xml">Atom feed</a> ·{" "}
        <a class="underline" href="/api/events">/api/events</a> · webhooks (
        <code>OPENROUTER_SCOUT_WEBHOOK_URLS</code>)
      </p>
    </div>
  );
}
