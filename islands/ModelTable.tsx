/**
 * The models table. The server renders it complete (every row, plain links) as this island's
 * SSR output; hydrated, it filters, searches and sorts without a reload, keeps the view in the
 * query string, and shows copy-id buttons.
 *
 * Without JavaScript the controls still work: the search and status fields are a GET form, and
 * each sort header is a submit button of that form (`name="sort"`), so the server renders the
 * view asked for (see model_table_state.ts).
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Sparkline } from "./sparkline.ts";
import type { Health } from "../lib/stats/types.ts";
import { CopyIdButton, useHydrated } from "./copy.tsx";
import {
  formatCount,
  formatMs,
  formatRelative,
  formatUptime,
  formatUtc,
  modelHref,
} from "./format.ts";
import { HEALTH_LABEL, HealthBadge } from "./health_badge.tsx";
import {
  DEFAULT_STATE,
  type ModelRow,
  nextSort,
  type SortKey,
  sortValue,
  type StatusFilter,
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

const FORM_ID = "model-filters";

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: "all", label: "All statuses" },
  ...(["healthy", "degraded", "down", "no_data"] as Health[]).map((h) => ({
    value: h,
    label: HEALTH_LABEL[h],
  })),
  { value: "removed", label: "Removed from catalog" },
];

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
      <form
        id={FORM_ID}
        method="get"
        role="search"
        aria-label="Filter models"
        class="flex flex-wrap items-end gap-3"
        onSubmit={(e) => e.preventDefault()}
      >
        <label class="flex min-w-0 grow flex-col gap-1 text-sm sm:grow-0">
          <span class="text-slate-600 dark:text-slate-400">Search</span>
          <input
            type="search"
            name="q"
            value={state.q}
            maxLength={200}
            placeholder="name or id"
            autocomplete="off"
            onInput={(e) => update({ q: e.currentTarget.value })}
            class={`${FIELD_CLASS} sm:w-64`}
          />
        </label>
        <label class="flex flex-col gap-1 text-sm">
          <span class="text-slate-600 dark:text-slate-400">Status</span>
          <select
            name="status"
            value={state.status}
            onChange={(e) => update({ status: e.currentTarget.value as StatusFilter })}
            class={FIELD_CLASS}
          >
            {STATUS_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </label>
        {state.sort && <input type="hidden" name="sort" value={sortValue(state.sort, state.dir)} />}
        <button
          type="submit"
          hidden={hydrated}
          class="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300"
        >
          Apply
        </button>
        <p class="ml-auto text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {shown.length === rows.length
            ? `${rows.length} models`
            : `Showing ${shown.length} of ${rows.length} models`}
        </p>
      </form>

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
            {shown.map((row) => <Row key={row.model_id} row={row} now={now} />)}
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

const FIELD_CLASS =
  "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 focus:border-sky-500 focus:outline-2 focus:outline-sky-500/30 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100";

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

interface SortHeaderProps {
  state: TableState;
  col: SortKey;
  numeric?: boolean;
  onSort: (key: SortKey) => (e: Event) => void;
  children: string;
}

function SortHeader({ state, col, numeric, onSort, children }: SortHeaderProps) {
  const active = state.sort === col;
  const next = nextSort(state, col);
  const ariaSort: "ascending" | "descending" | "none" = active
    ? state.dir === "asc" ? "ascending" : "descending"
    : "none";
  return (
    <th scope="col" aria-sort={ariaSort} class="px-1 py-1 font-semibold">
      <button
        type="submit"
        form={FORM_ID}
        name="sort"
        value={sortValue(next.sort, next.dir)}
        onClick={onSort(col)}
        title={`Sort by ${children.toLowerCase()}`}
        class={`inline-flex w-full items-center gap-1 whitespace-nowrap rounded px-2 py-1 uppercase hover:bg-slate-200 hover:text-slate-900 dark:hover:bg-slate-800 dark:hover:text-slate-100 ${
          numeric ? "justify-end" : ""
        } ${active ? "text-slate-900 dark:text-slate-100" : ""}`}
      >
        {children}
        <span aria-hidden="true" class={active ? "" : "opacity-30"}>
          {active ? (state.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </button>
    </th>
  );
}

function uptimeClass(uptime: number | null): string {
  if (uptime === null) return "text-slate-400 dark:text-slate-500";
  if (uptime >= 99) return "text-emerald-700 dark:text-emerald-400";
  if (uptime >= 95) return "";
  if (uptime >= 80) return "text-amber-700 dark:text-amber-400";
  return "text-red-700 dark:text-red-400";
}

const NUM = "px-3 py-2 text-right tabular-nums whitespace-nowrap";
const MUTED = "text-slate-400 dark:text-slate-500";

function Row({ row, now }: { row: ModelRow; now: number }) {
  const measured = row.sparkline_data.filter((v) => v !== null).length;
  return (
    <tr class="hover:bg-slate-50 dark:hover:bg-slate-900/60">
      <td class="px-3 py-2 align-top">
        <HealthBadge health={row.health} />
        {row.latest_status && (
          <div class="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
            last: {row.latest_status}
            {row.latest_checked_at && (
              <>
                ,{" "}
                <time
                  datetime={row.latest_checked_at}
                  title={formatUtc(row.latest_checked_at)}
                  class="whitespace-nowrap"
                >
                  {formatRelative(row.latest_checked_at, now)}
                </time>
              </>
            )}
          </div>
        )}
      </td>
      <th scope="row" class="min-w-[15rem] max-w-md px-3 py-2 text-left align-top font-normal">
        <a
          href={modelHref(row.model_id)}
          class="font-medium text-sky-700 hover:underline dark:text-sky-400"
        >
          {row.name}
        </a>
        <div class="flex flex-wrap items-center gap-x-1 text-xs text-slate-500 dark:text-slate-400">
          <code class="break-all">{row.model_id}</code>
          <CopyIdButton text={row.model_id} />
          {!row.present && <Tag>removed</Tag>}
          {row.is_router && <Tag>router</Tag>}
        </div>
      </th>
      <td class={`${NUM} ${uptimeClass(row.uptime_24h)}`}>{formatUptime(row.uptime_24h)}</td>
      <td class={`${NUM} ${uptimeClass(row.uptime_7d)}`}>{formatUptime(row.uptime_7d)}</td>
      <td class={`${NUM} ${row.p50_latency_24h === null ? MUTED : ""}`}>
        {formatMs(row.p50_latency_24h)}
      </td>
      <td class={`${NUM} ${row.p50_ttft_24h === null ? MUTED : ""}`}>
        {formatMs(row.p50_ttft_24h)}
      </td>
      <td class="px-3 py-2">
        <Sparkline
          values={row.sparkline_data}
          width={96}
          height={24}
          min={0}
          class="text-sky-600 dark:text-sky-400"
          label={measured
            ? `Latency of the last ${row.sparkline_data.length} checks, gaps where a check failed`
            : undefined}
        />
      </td>
      <td
        class={`${NUM} ${
          row.consecutive_failures > 0 ? "font-semibold text-red-700 dark:text-red-400" : MUTED
        }`}
      >
        {row.consecutive_failures}
      </td>
      <td class={`${NUM} ${row.context_length === null ? MUTED : ""}`}>
        {formatCount(row.context_length)}
      </td>
    </tr>
  );
}

function Tag({ children }: { children: string }) {
  return (
    <span class="rounded bg-slate-200 px-1.5 py-px text-[11px] font-medium uppercase text-slate-700 dark:bg-slate-800 dark:text-slate-300">
      {children}
    </span>
  );
}
