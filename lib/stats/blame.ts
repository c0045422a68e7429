/**
 * Who was at fault for a model's failed checks over a range: the model, its upstream provider,
 * OpenRouter's shared free capacity, the account, or OpenRouter itself (checks.fault). Raw
 * checks: as far back as retention keeps them; checks from before blame was recorded count as
 * failures of unknown fault.
 */
import type { Store } from "../db/store.ts";
import { type Fault, FAULTS } from "../domain/check.ts";
import { num, str, strOrNull } from "../db/values.ts";
import { rangeFrom } from "./sql.ts";
import type { Range } from "./types.ts";

export interface FailureBlame {
  /** Measured checks that failed (skipped ones are not failures). */
  failures: number;
  /** Failures by who was at fault; `unknown` for checks stored without a fault. */
  by_fault: Partial<Record<Fault | "unknown", number>>;
}

export async function failureBlame(
  store: Store,
  modelId: string,
  range: Range,
  now: number,
): Promise<FailureBlame> {
  const rs = await store.client.execute({
    sql: `SELECT fault, COUNT(*) AS n FROM checks
      WHERE model_id = ? AND checked_at > ? AND checked_at <= ?
        AND status NOT IN ('ok', 'skipped')
      GROUP BY fault`,
    args: [modelId, rangeFrom(range, now), now],
  });
  const blame: FailureBlame = { failures: 0, by_fault: {} };
  for (const row of rs.rows) {
    const raw = strOrNull(row.fault);
    const fault = raw !== null && (FAULTS as readonly string[]).includes(raw)
      ? str(raw) as Fault
      : "unknown";
    const n = num(row.n);
    blame.failures += n;
    blame.by_fault[fault] = (blame.by_fault[fault] ?? 0) + n;
  }
  return blame;
}

const FAULT_TEXT: Record<Fault | "unknown", string> = {
  model: "the model's own",
  upstream: "its upstream provider's",
  shared_capacity: "OpenRouter's shared free capacity",
  account: "the account's limits",
  openrouter: "OpenRouter's own trouble",
  unknown: "not attributed (checked before blame was recorded)",
};

/** Ties are told in this order. */
const ORDER: readonly (Fault | "unknown")[] = [...FAULTS, "unknown"];

/**
 * "3 of 5 failures were OpenRouter's shared free capacity", one clause per party, the largest
 * first; null when there were no failures.
 */
export function blameSentence(b: FailureBlame): string | null {
  if (b.failures === 0) return null;
  const parts = (Object.entries(b.by_fault) as [Fault | "unknown", number][])
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1] || ORDER.indexOf(x[0]) - ORDER.indexOf(y[0]));
  const [first, ...rest] = parts;
  const head = first[1] === b.failures
    ? `${b.failures === 1 ? "The one failure was" : `All ${b.failures} failures were`} ` +
      FAULT_TEXT[first[0]]
    : `${first[1]} of ${b.failures} failures ${first[1] === 1 ? "was" : "were"} ` +
      FAULT_TEXT[first[0]];
  const tail = rest.map(([f, n]) => `${n} ${FAULT_TEXT[f]}`);
  return tail.length ? `${head}; ${tail.join(", ")}.` : `${head}.`;
}
