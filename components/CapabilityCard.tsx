/**
 * A model's capabilities on its page: per capability, the catalog's claim beside the latest
 * verdict of Scouter's checks, as one line ("claims tools · verified no, 3 h ago: answered in
 * prose"; "doesn't claim vision"; "claims json · not verified yet"), the check's time in UTC on
 * hover.
 */
import { CAPABILITIES, type Capability } from "../lib/domain/capability.ts";
import type { Capabilities } from "../lib/stats/capabilities.ts";
import {
  type CapabilityTone,
  capabilityTone,
  type CapabilityView,
  claimText,
  TONE_MARK,
  verdictText,
} from "../islands/capability_text.ts";
import { formatUtc } from "../islands/format.ts";

const LABEL: Record<Capability, string> = {
  tools: "Tool calls",
  json: "JSON output",
  vision: "Image input",
  reasoning: "Reasoning",
};

const TONE_CLASS: Record<CapabilityTone, string> = {
  yes: "text-emerald-700 dark:text-emerald-400",
  no: "text-red-700 dark:text-red-400",
  unknown: "text-slate-400 dark:text-slate-500",
};

export function CapabilityCard({ caps, now }: { caps: Capabilities; now: number }) {
  return (
    <ul class="grid gap-2 text-sm sm:grid-cols-2" data-capabilities>
      {CAPABILITIES.map((c) => {
        const s = caps[c];
        const v: CapabilityView = {
          claimed: s.claimed,
          verified: s.verified,
          at: s.checked_at === null ? null : Date.parse(s.checked_at),
          detail: s.detail,
        };
        const tone = capabilityTone(v);
        const verdict = verdictText(v, now);
        return (
          <li
            key={c}
            data-cap={c}
            class="flex items-baseline gap-2 rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800"
          >
            <span aria-hidden="true" class={`w-4 shrink-0 font-semibold ${TONE_CLASS[tone]}`}>
              {verdict === null ? "–" : TONE_MARK[tone]}
            </span>
            <span>
              <span class="font-medium">{LABEL[c]}</span>
              <span class="block text-slate-600 dark:text-slate-400">
                {claimText(c, v)}
                {verdict !== null && (
                  <>
                    {" · "}
                    <span title={s.checked_at ? formatUtc(s.checked_at) : undefined}>
                      {verdict}
                    </span>
                  </>
                )}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
