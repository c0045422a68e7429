/**
 * The models table. The server renders it complete (every row, plain links) as this island's
 * SSR output; hydrated, it filters, searches and sorts without a reload, keeps the view in the
 * query string, and shows copy-id buttons. The controls are in model_table_controls.tsx, a row
 * in model_table_row.tsx.
 *
 * Without JavaScript the controls still work: the search and status fields are a GET form, and
 * each sort header is a submit button of that form (`name="sort"`), so the server renders the
 * view asked for (see model_table_state.ts).
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { useHydrated } from "./copy.tsx";
import { ModelFilters, SortHeader } from "./model_table_controls.tsx";
import { ModelTableRow } from "./model_table_row.tsx";
import {
  DEFAULT_STATE,
  type ModelRow,
  nextSort,
  type SortKey,
  type TableState,
  tableStateQuery,
  visibleRows,
} from "./model_table_state.ts";

export interface ModelTableProps {
  rows: ModelRow[];
  /** The server's clock when it rendered the page (epoch ms): ages are relative to it, so the
   * hydrated table shows what the server's HTML showed. */
  now: number;
  /** The view the server was asked for (from the query string); the default shows all. */
  initial?: TableState;
}

export default function ModelTable({ rows, now, initial = DEFAULT_STATE }: ModelTableProps) {
  const [state, setState] = useState<TableState>(initial);
  const hydrated = useHydrated();
  const shown = useMemo(() => visibleRows(rows, state), [rows, state]);
  useUrlSync(state);

  const update = (patch: Partial<TableState>) => setState((s) => ({ ...s, ...patch }));
  const onSort = (key: SortKey) => (e: Event) => {
    e.preventDefault(); // with JavaScript, sort here instead of submitting the form
    setState((s) => ({ ...s, ...nextSort(s, key) }));
  };

  return (
    <div class="space-y-3">
      <ModelFilters
        state={state}
        hydrated={hydrated}
        shown={shown.length}
        total={rows.length}
        onChange={update}
      />

      <div class="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <table class="w-full min-w-[60rem] border-collapse text-left text-sm">
          <caption class="sr-only">
            Free models: health, uptime, median latency and time to first token over 24 hours.
            Column headers are buttons that sort the table.
          </caption>
          <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
            <tr>
              <SortHeader state={state} col="health" onSort={onSort}>Status</SortHeader>
              <SortHeader state={state} col="name" onSort={onSort}>Model</SortHeader>
              <SortHeader state={state} col="uptime_24h" onSort={onSort} numeric>
                Uptime 24h
              </SortHeader>
              <SortHeader state={state} col="uptime_7d" onSort={onSort} numeric>
                Uptime 7d
              </SortHeader>
              <SortHeader state={state} col="p50_latency_24h" onSort={onSort} numeric>
                p50 latency
              </SortHeader>
              <SortHeader state={state} col="p50_ttft_24h" onSort={onSort} numeric>
                p50 TTFT
              </SortHeader>
              <th scope="col" class="px-3 py-2 font-semibold">Latency trend</th>
              <SortHeader state={state} col="consecutive_failures" onSort={onSort} numeric>
                Failures in a row
              </SortHeader>
              <SortHeader state={state} col="context_length" onSort={onSort} numeric>
                Context
              </SortHeader>
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
            {shown.map((row) => <ModelTableRow key={row.model_id} row={row} now={now} />)}
            {shown.length === 0 && (
              <tr>
                <td colSpan={9} class="px-3 py-6 text-center text-slate-500 dark:text-slate-400">
                  No model matches these filters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Keep the view in the address bar (replaceState: no history entry per keystroke). */
function useUrlSync(state: TableState): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const query = tableStateQuery(state);
    const url = `${location.pathname}${query ? `?${query}` : ""}${location.hash}`;
    history.replaceState(history.state, "", url);
  }, [state]);
}
