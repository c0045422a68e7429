/**
 * Run by checks_durability_test.ts in a subprocess: opens the database at Deno.args[0], starts a
 * run, inserts Deno.args[1] checks, prints the run id, then SIGKILLs itself without closing.
 */
import { openStore } from "../../lib/db/open.ts";
import { check } from "./helpers.ts";

const [path, count] = Deno.args;
const store = await openStore({ path });
const runId = await store.startRun({ trigger: "cli", started_at: 1_000, pid: Deno.pid });
for (let i = 0; i < Number(count); i++) {
  await store.insertCheck(
    runId,
    check(`vendor/model-${i}:free`, { checked_at: 2_000 + i, status: i % 3 ? "ok" : "timeout" }),
  );
}
console.log(JSON.stringify({ runId }));
Deno.kill(Deno.pid, "SIGKILL");
