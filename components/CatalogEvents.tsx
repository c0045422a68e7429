/** A model coming and going in OpenRouter's free catalog, newest first. */
import type { CatalogEvent } from "../lib/stats/types.ts";
import { TimeAgo, UtcTime } from "../islands/time_ago.tsx";

const KIND_TEXT: Record<CatalogEvent["kind"], string> = {
  added: "Added to the free catalog",
  removed: "Removed from the catalog",
  returned: "Returned to the catalog",
  // Migration 9: a capability check's verdict changed (see the Capabilities card).
  capability_lost: "Verified capability lost",
  capability_gained: "Capability verified",
};

export function CatalogEvents({ events, now }: { events: CatalogEvent[]; now: number }) {
  if (events.length === 0) {
    return <p class="text-sm text-slate-600 dark:text-slate-400">No catalog changes recorded.</p>;
  }
  return (
    <ol class="space-y-1.5 border-l-2 border-slate-200 pl-4 text-sm dark:border-slate-800">
      {events.map((e, i) => (
        <li key={i}>
          <span class="font-medium">
            {KIND_TEXT[e.kind] ?? e.kind}
            {e.detail !== null && <>: {e.detail}</>}
          </span>{" "}
          <span class="text-slate-600 dark:text-slate-400">
            <UtcTime at={e.at} /> (<TimeAgo at={e.at} now={now} />)
            {e.run_id !== null && <>, scan #{e.run_id}</>}
          </span>
        </li>
      ))}
    </ol>
  );
}
