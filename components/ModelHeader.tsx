/** The model page's title: name, id (with a copy button), health and catalog status. */
import type { ModelDetail } from "../lib/stats/types.ts";
import { Island } from "../lib/web/islands.tsx";
import { HealthBadge } from "../islands/health_badge.tsx";
import { TimeAgo } from "../islands/time_ago.tsx";

export function ModelHeader({ model, now }: { model: ModelDetail; now: number }) {
  return (
    <div class="space-y-2">
      <a href="/" class="text-sm text-sky-700 hover:underline dark:text-sky-400">
        ← All models
      </a>
      <div class="flex flex-wrap items-center gap-3">
        <h1 class="min-w-0 break-words text-2xl font-semibold tracking-tight">{model.name}</h1>
        <HealthBadge health={model.health} />
        {!model.present && (
          <span class="rounded bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300">
            removed from the catalog
          </span>
        )}
        {model.is_router && (
          <span class="rounded bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300">
            router
          </span>
        )}
      </div>
      <div class="flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
        <code class="break-all rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">
          {model.model_id}
        </code>
        <Island name="CopyButton" props={{ text: model.model_id, label: "Copy model id" }} />
        <span>
          {/* Measured checks only: a skipped one (the account's quota) says nothing of the model. */}
          latest measured check {model.latest_status ? `(${model.latest_status}) ` : ""}
          <TimeAgo at={model.latest_checked_at} now={now} />
          {model.consecutive_failures > 0 &&
            ` · ${model.consecutive_failures} failed in a row`}
        </span>
      </div>
    </div>
  );
}
