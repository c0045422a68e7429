/**
 * "Best free models now" on the dashboard: the top of GET /api/recommend, why each ranks where
 * it does, and a button that copies the OpenRouter `models` fallback list.
 */
import type { RecommendResult } from "../lib/recommend/mod.ts";
import { formatMs, formatUptime, modelHref } from "../islands/format.ts";
import { Island } from "../lib/web/islands.tsx";
import { Code } from "./Notice.tsx";

export function RecommendCard({ result }: { result: RecommendResult }) {
  if (result.models.length === 0) {
    return (
      <p class="text-sm text-slate-600 dark:text-slate-400">
        No free model qualifies right now: none answered its latest check over the last 24 hours.
      </p>
    );
  }
  return (
    <div class="space-y-3">
      <ol class="space-y-2">
        {result.models.map((m) => (
          <li
            key={m.model_id}
            class="rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm dark:border-slate-800 dark:bg-slate-900"
          >
            <div class="flex flex-wrap items-baseline justify-between gap-x-3">
              <a
                href={modelHref(m.model_id)}
                class="font-medium text-sky-700 hover:underline dark:text-sky-400"
              >
                {m.rank}. {m.name}
              </a>
              <span class="tabular-nums text-slate-600 dark:text-slate-400">
                {formatUptime(m.uptime_24h)} · p50 {formatMs(m.p50_latency_ms)}
              </span>
            </div>
            <p class="font-mono text-xs text-slate-500 dark:text-slate-400">{m.model_id}</p>
            <p class="mt-1 text-slate-600 dark:text-slate-400">{m.why}</p>
          </li>
        ))}
      </ol>
      <div class="flex flex-wrap items-center gap-2 text-sm">
        <Code>{result.snippet}</Code>
        <Island
          name="CopyButton"
          props={{ text: result.snippet, label: "Copy the models list" }}
        />
      </div>
      <p class="text-xs text-slate-500 dark:text-slate-400">
        {result.method} More options: <a class="underline" href="/api/recommend">/api/recommend</a>
        {" "}
        (<Code>min_context</Code>, <Code>tools</Code>, <Code>modality</Code>, <Code>limit</Code>).
      </p>
    </div>
  );
}
