/** What OpenRouter's catalog says about a model, and when Scouter saw it there. */
import type { ModelDetail } from "../lib/stats/types.ts";
import type { ComponentChildren } from "preact";
import { formatCount, formatUtc } from "../islands/format.ts";
import { TimeAgo } from "../islands/time_ago.tsx";

export function CatalogFacts({ model, now }: { model: ModelDetail; now: number }) {
  const none = <span class="text-slate-400 dark:text-slate-500">—</span>;
  return (
    <div class="space-y-4">
      <dl class="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
        <Fact term="Context length">
          {model.context_length === null ? none : `${formatCount(model.context_length)} tokens`}
        </Fact>
        <Fact term="Input → output">
          {list(model.input_modalities) ?? none} → {list(model.output_modalities) ?? none}
        </Fact>
        <Fact term="Reasoning">
          {model.reasoning
            ? `${model.reasoning.mandatory ? "mandatory" : "optional"}${
              model.reasoning.supported_efforts.length
                ? ` (efforts: ${model.reasoning.supported_efforts.join(", ")})`
                : ""
            }`
            : "no"}
        </Fact>
        <Fact term="Expires">{model.expiration_date ?? "no date announced"}</Fact>
        <Fact term="Created on OpenRouter">{model.created ? formatUtc(model.created) : none}</Fact>
        <Fact term="In the catalog">
          {model.removed_at
            ? (
              <>
                no, removed <TimeAgo at={model.removed_at} now={now} />
              </>
            )
            : model.present
            ? "yes"
            : "no"}
        </Fact>
        <Fact term="First seen">
          {model.first_seen_at ? <TimeAgo at={model.first_seen_at} now={now} /> : none}
        </Fact>
        <Fact term="Last seen">
          {model.last_seen_at ? <TimeAgo at={model.last_seen_at} now={now} /> : none}
        </Fact>
      </dl>
      <div class="text-sm">
        <h3 class="mb-1 font-medium">Supported parameters</h3>
        {model.supported_parameters.length
          ? (
            <ul class="flex flex-wrap gap-1.5">
              {model.supported_parameters.map((p) => (
                <li
                  key={p}
                  class="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800"
                >
                  {p}
                </li>
              ))}
            </ul>
          )
          : none}
      </div>
      {model.description && (
        <div class="text-sm">
          <h3 class="mb-1 font-medium">Description (from OpenRouter)</h3>
          <p class="max-w-prose whitespace-pre-line break-words text-slate-700 dark:text-slate-300">
            {model.description}
          </p>
        </div>
      )}
    </div>
  );
}

function list(items: string[]): string | null {
  return items.length ? items.join(", ") : null;
}

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div>
      <dt class="text-slate-500 dark:text-slate-400">{term}</dt>
      <dd class="font-medium">{children}</dd>
    </div>
  );
}
