/** On the model page: who was at fault for its failures over the range (lib/stats/blame.ts). */
import { blameSentence, type FailureBlame as Blame } from "../lib/stats/blame.ts";

export function FailureBlame({ blame }: { blame: Blame }) {
  const sentence = blameSentence(blame);
  if (!sentence) return null;
  return <p class="mb-3 text-sm text-slate-700 dark:text-slate-300" data-blame>{sentence}</p>;
}
