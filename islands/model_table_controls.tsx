/**
 * The models table's controls: the filter form (search, status, a verified capability, Apply
 * without JavaScript, the
 * count shown) and the sort headers, each a submit button of that form (`name="sort"`), so
 * without JavaScript the server renders the view asked for.
 */
import type { Health } from "../lib/stats/types.ts";
import { CAPABILITIES, type Capability, isCapability } from "../lib/domain/capability.ts";
import { HEALTH_LABEL } from "./health_badge.tsx";
import {
  nextSort,
  type SortKey,
  sortValue,
  type StatusFilter,
  type TableState,
} from "./model_table_state.ts";

const FORM_ID = "model-filters";

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: "all", label: "All statuses" },
  ...(["healthy", "degraded", "down", "no_data"] as Health[]).map((h) => ({
    value: h,
    label: HEALTH_LABEL[h],
  })),
  { value: "removed", label: "Removed from catalog" },
];

export interface ModelFiltersProps {
  state: TableState;
  hydrated: boolean;
  /** Rows shown and rows in all. */
  shown: number;
  total: number;
  onChange: (patch: Partial<TableState>) => void;
}

export function ModelFilters({ state, hydrated, shown, total, onChange }: ModelFiltersProps) {
  return (
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
          onInput={(e) => onChange({ q: e.currentTarget.value })}
          class={`${FIELD_CLASS} sm:w-64`}
        />
      </label>
      <label class="flex flex-col gap-1 text-sm">
        <span class="text-slate-600 dark:text-slate-400">Status</span>
        <select
          name="status"
          value={state.status}
          onChange={(e) => onChange({ status: e.currentTarget.value as StatusFilter })}
          class={FIELD_CLASS}
        >
          {STATUS_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
      <label class="flex flex-col gap-1 text-sm">
        <span class="text-slate-600 dark:text-slate-400">Supports (verified)</span>
        <select
          name="supports"
          value={state.supports ?? ""}
          onChange={(e) => {
            const v = e.currentTarget.value;
            onChange({ supports: isCapability(v) ? v : null });
          }}
          class={FIELD_CLASS}
        >
          <option value="">Any</option>
          {CAPABILITIES.map((c: Capability) => <option key={c} value={c}>{c}</option>)}
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
        {shown === total ? `${total} models` : `Showing ${shown} of ${total} models`}
      </p>
    </form>
  );
}

const FIELD_CLASS =
  "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 focus:border-sky-500 focus:outline-2 focus:outline-sky-500/30 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100";

export interface SortHeaderProps {
  state: TableState;
  col: SortKey;
  numeric?: boolean;
  onSort: (key: SortKey) => (e: Event) => void;
  children: string;
}

export function SortHeader({ state, col, numeric, onSort, children }: SortHeaderProps) {
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
