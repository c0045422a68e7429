/**
 * The models table's view state (search, status filter, verified capability, sort) and the
 * pure functions over it. The same state lives in the page's query string
 * (`?q=&status=&supports=tools&sort=uptime_24h.desc`), so
 * the server renders a filtered table when JavaScript is off (the filter form submits), and a
 * reload or a shared link keeps the view.
 */
import { HEALTHS, type ModelSummary } from "../lib/stats/types.ts";
import type { Capabilities } from "../lib/stats/capabilities.ts";
import { CAPABILITIES, type Capability, isCapability } from "../lib/domain/capability.ts";
import { HEALTH_RANK } from "./health_badge.tsx";
import { type CapabilityView, worthShowing } from "./capability_text.ts";

/** A row's capabilities worth a chip (claimed, or verified either way); the rest left out. */
export type CapabilityChips = Partial<Record<Capability, CapabilityView>>;

/** The fields of a ModelSummary the table shows (island props: keep them lean). */
export type ModelRow =
  & Pick<
    ModelSummary,
    | "model_id"
    | "name"
    | "health"
    | "latest_status"
    | "latest_checked_at"
    | "present"
    | "is_router"
    | "uptime_24h"
    | "uptime_7d"
    | "p50_latency_24h"
    | "p50_ttft_24h"
    | "sparkline_data"
    | "consecutive_failures"
    | "context_length"
  >
  & { caps?: CapabilityChips };

/** The chips of one model: its claimed or verified capabilities, in CAPABILITIES order. */
export function toCapabilityChips(caps: Capabilities | undefined): CapabilityChips {
  const out: CapabilityChips = {};
  if (!caps) return out;
  for (const c of CAPABILITIES) {
    const s = caps[c];
    const view: CapabilityView = {
      claimed: s.claimed,
      verified: s.verified,
      at: s.checked_at === null ? null : Date.parse(s.checked_at),
      detail: s.detail,
    };
    if (worthShowing(view)) out[c] = view;
  }
  return out;
}

export function toModelRow(m: ModelSummary, caps?: Capabilities): ModelRow {
  return {
    caps: toCapabilityChips(caps),
    model_id: m.model_id,
    name: m.name,
    health: m.health,
    latest_status: m.latest_status,
    latest_checked_at: m.latest_checked_at,
    present: m.present,
    is_router: m.is_router,
    uptime_24h: m.uptime_24h,
    uptime_7d: m.uptime_7d,
    p50_latency_24h: m.p50_latency_24h,
    p50_ttft_24h: m.p50_ttft_24h,
    sparkline_data: m.sparkline_data,
    consecutive_failures: m.consecutive_failures,
    context_length: m.context_length,
  };
}

export const SORT_KEYS = [
  "health",
  "name",
  "uptime_24h",
  "uptime_7d",
  "p50_latency_24h",
  "p50_ttft_24h",
  "consecutive_failures",
  "context_length",
] as const;
export type SortKey = typeof SORT_KEYS[number];
export type SortDir = "asc" | "desc";

export const STATUS_FILTERS = ["all", ...HEALTHS, "removed"] as const;
export type StatusFilter = typeof STATUS_FILTERS[number];

export interface TableState {
  q: string;
  status: StatusFilter;
  /** Only the models a check verified to have this capability; null: any. */
  supports: Capability | null;
  /** null: the server's order (models in the catalog first, then by id). */
  sort: SortKey | null;
  dir: SortDir;
}

export const DEFAULT_STATE: TableState = {
  q: "",
  status: "all",
  supports: null,
  sort: null,
  dir: "asc",
};

/** Longest search string kept (the query string is user input). */
const MAX_QUERY = 200;

/**
 * Reads the state from query parameters; anything unknown falls back to the default. `sort`
 * may appear twice (the form's hidden current value, then the pressed sort button's): the
 * last one wins.
 */
export function parseTableState(params: URLSearchParams): TableState {
  const q = (params.get("q") ?? "").slice(0, MAX_QUERY);
  const statusParam = params.get("status") ?? "all";
  const status = (STATUS_FILTERS as readonly string[]).includes(statusParam)
    ? statusParam as StatusFilter
    : "all";
  const supportsParam = params.get("supports") ?? "";
  const supports = isCapability(supportsParam) ? supportsParam : null;
  const [key, dirParam] = (params.getAll("sort").at(-1) ?? "").split(".", 2);
  const sort = (SORT_KEYS as readonly string[]).includes(key) ? key as SortKey : null;
  const dir: SortDir = dirParam === "desc" ? "desc" : "asc";
  return { q, status, supports, sort, dir: sort ? dir : "asc" };
}

/** The query string for `state` ("" for the default view), without the leading "?". */
export function tableStateQuery(state: TableState): string {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.status !== "all") params.set("status", state.status);
  if (state.supports) params.set("supports", state.supports);
  if (state.sort) params.set("sort", sortValue(state.sort, state.dir));
  return params.toString();
}

export function sortValue(key: SortKey, dir: SortDir): string {
  return `${key}.${dir}`;
}

/** The direction a click on `key`'s header asks for: the other one if already sorted by it. */
export function nextSort(state: TableState, key: SortKey): { sort: SortKey; dir: SortDir } {
  if (state.sort === key) return { sort: key, dir: state.dir === "asc" ? "desc" : "asc" };
  // Numbers where bigger is better start high; names, latencies and failures start low.
  const descFirst: SortKey[] = ["uptime_24h", "uptime_7d", "context_length"];
  return { sort: key, dir: descFirst.includes(key) ? "desc" : "asc" };
}

export function matchesQuery(row: ModelRow, q: string): boolean {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${row.name}\n${row.model_id}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function matchesStatus(row: ModelRow, status: StatusFilter): boolean {
  if (status === "all") return true;
  if (status === "removed") return !row.present;
  return row.health === status;
}

/** Verified true by a check (a claim alone does not count), as `?supports=` in the API. */
export function matchesSupports(row: ModelRow, supports: Capability | null): boolean {
  return supports === null || row.caps?.[supports]?.verified === true;
}

function sortValueOf(row: ModelRow, key: SortKey): number | string | null {
  switch (key) {
    case "health":
      return HEALTH_RANK[row.health];
    case "name":
      return row.name.toLowerCase();
    default:
      return row[key];
  }
}

/** The rows to show, in order. Nulls ("no data") always sort last; ties keep server order. */
export function visibleRows(rows: readonly ModelRow[], state: TableState): ModelRow[] {
  const kept = rows.filter((r) =>
    matchesStatus(r, state.status) && matchesSupports(r, state.supports) &&
    matchesQuery(r, state.q)
  );
  const key = state.sort;
  if (!key) return kept;
  const sign = state.dir === "asc" ? 1 : -1;
  return kept
    .map((row, i) => ({ row, i, v: sortValueOf(row, key) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) {
        return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      }
      const c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return c !== 0 ? c * sign : a.i - b.i;
    })
    .map((x) => x.row);
}
