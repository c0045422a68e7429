/**
 * One row of the models table: health and the latest check, the model (link, id, copy button,
 * removed/router tags, capability chips), uptime, latency, TTFT, the latency trend, failures
 * in a row, context.
 */
import { Sparkline } from "./sparkline.ts";
import { CopyIdButton } from "./copy.tsx";
import {
  formatCount,
  formatMs,
  formatRelative,
  formatUptime,
  formatUtc,
  modelHref,
  uptimeTone,
} from "./format.ts";
import { HealthBadge } from "./health_badge.tsx";
import type { CapabilityChips, ModelRow } from "./model_table_state.ts";
import { CAPABILITIES } from "../lib/domain/capability.ts";
import {
  capabilityLine,
  type CapabilityTone,
  capabilityTone,
  TONE_MARK,
} from "./capability_text.ts";

const NUM = "px-3 py-2 text-right tabular-nums whitespace-nowrap";
const MUTED = "text-slate-400 dark:text-slate-500";

export function ModelTableRow({ row, now }: { row: ModelRow; now: number }) {
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
          {row.caps && <Chips caps={row.caps} now={now} />}
        </div>
      </th>
      <td class={`${NUM} ${uptimeTone(row.uptime_24h)}`}>{formatUptime(row.uptime_24h)}</td>
      <td class={`${NUM} ${uptimeTone(row.uptime_7d)}`}>{formatUptime(row.uptime_7d)}</td>
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

/** One short span per capability: classes only, the words in its tooltip (SSR bytes count). */
const CHIP: Record<CapabilityTone, string> = {
  yes: "text-emerald-700 dark:text-emerald-400",
  no: "text-red-700 dark:text-red-400",
  unknown: "",
};

function Chips({ caps, now }: { caps: CapabilityChips; now: number }) {
  return (
    <>
      {CAPABILITIES.map((c) => {
        const v = caps[c];
        if (!v) return null;
        const tone = capabilityTone(v);
        return (
          <span
            key={c}
            class={CHIP[tone] || undefined}
            title={capabilityLine(c, v, now)}
            data-cap={c}
          >
            {c} {TONE_MARK[tone]}
          </span>
        );
      })}
    </>
  );
}
