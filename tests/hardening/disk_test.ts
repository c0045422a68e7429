/**
 * A full or read-only disk: a clear one-line error (never a stack trace), nothing already
 * written lost, and the server goes on serving what it has.
 *
 * Everywhere, SQLite itself makes the writes fail as a full or read-only disk does
 * (`PRAGMA max_page_count`: SQLITE_FULL; `PRAGMA query_only`: SQLITE_READONLY) while the
 * real scheduler and app run. Where the test may mount file systems (root), the same is
 * shown for real: a tmpfs filled to the last byte, then remounted read-only, under the server
 * and `deno task scan` as users run them.
 */
import assert from "node:assert/strict";
import { runCli } from "../cli/run_cli.ts";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { TEST_KEY } from "../scan/helpers.ts";
import { ADMIN_TOKEN, appWorld, visit } from "./app_world.ts";
import { startServer, waitFor } from "./server.ts";

const MODELS = Array.from({ length: 40 }, (_, i) => ({ id: `disk/model-${i}:free` }));

function assertCleanLines(lines: string[]) {
  for (const line of lines) {
    assert.doesNotMatch(line, /^\s+at |\.ts:\d+:\d+|Uncaught|Error: /, `no stack trace: ${line}`);
  }
}

async function allServed(base: string) {
  for (const [path, status] of Object.entries(await visit(base, MODELS[0].id))) {
    assert.equal(status, 200, path);
  }
}

Deno.test("a full disk mid-scan: the run fails saying so, its checks are kept, the server serves", async () => {
  const fake = await startFakeOpenRouter({ models: MODELS, apiKey: TEST_KEY });
  try {
    await using w = await appWorld({ openrouterUrl: fake.url, settings: { concurrency: 4 } });
    assert.equal(await w.scheduler.requestScan(), "started");
    await w.scheduler.idle();
    // No page beyond those the file has: the next pages a write needs are refused.
    const pages = (await w.store.client.execute("PRAGMA page_count")).rows[0][0];
    await w.store.client.execute(`PRAGMA max_page_count = ${pages}`);

    assert.equal(await w.scheduler.requestScan(), "started");
    await w.scheduler.idle();
    const [run] = await w.store.listRuns(1);
    assert.equal(run.status, "failed");
    assert.match(run.error ?? "", /^scan stopped: the disk is full \(SQLITE_FULL: [^()]+\)$/);
    const kept = await w.store.listChecks({ runId: run.id });
    assert.equal(run.ok_count, kept.length, "the checks written before are counted");
    const line = w.logs.find((l) => /the disk is full/.test(l))!;
    assert.match(line, /^scan \d+ failed: .*the disk is full/);
    assertCleanLines(w.logs);
    await allServed(w.base);
    const runs = await (await fetch(`${w.base}/api/runs`)).json();
    assert.match(runs[0].error, /the disk is full/);
    await w.store.client.execute("PRAGMA max_page_count = 1073741823");
  } finally {
    await fake.close();
  }
});

Deno.test("a read-only database: each scan refused in one clear line, the server serves", async () => {
  const fake = await startFakeOpenRouter({ models: MODELS.slice(0, 5), apiKey: TEST_KEY });
  try {
    await using w = await appWorld({ openrouterUrl: fake.url });
    assert.equal(await w.scheduler.requestScan(), "started");
    await w.scheduler.idle();
    await w.store.client.execute("PRAGMA query_only = 1");

    for (let i = 0; i < 2; i++) {
      const post = await fetch(`${w.base}/api/scan`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      assert.equal(post.status, 202);
      await post.body?.cancel();
      await w.scheduler.idle();
    }
    await w.tick(); // the schedule's own attempt says it too, and carries on
    const refused = w.logs.filter((l) => /read-only/.test(l));
    assert.equal(refused.length, 2, w.logs.join("\n"));
    for (const line of refused) {
      assert.match(line, /^scan failed: the database is read-only \(SQLITE_READONLY: [^()]+\)$/);
    }
    assertCleanLines(w.logs);
    assert.equal((await w.store.listRuns(10)).length, 1, "what was stored is intact");
    await allServed(w.base);
    const summary = await (await fetch(`${w.base}/api/summary`)).json();
    assert.equal(summary.total_models, 5);
    await w.store.client.execute("PRAGMA query_only = 0");
  } finally {
    await fake.close();
  }
});

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN); probed once. */
function canMount(): boolean {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return false;
  const dir = Deno.makeTempDirSync({ prefix: "scouter-mount-probe-" });
  try {
    const mounted = new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
    if (mounted) new Deno.Command("umount", { args: [dir] }).outputSync();
    return mounted;
  } catch {
    return false;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

async function sh(...args: string[]): Promise<void> {
  const out = await new Deno.Command(args[0], { args: args.slice(1), stderr: "piped" }).output();
  if (!out.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
}

Deno.test({
  name: "a real full disk, then a real read-only one (tmpfs): the server and `deno task scan`",
  ignore: !canMount(),
  async fn() {
    const fake = await startFakeOpenRouter({ models: MODELS, apiKey: TEST_KEY });
    const dir = await Deno.makeTempDir({ prefix: "scouter-disk-" });
    const results = `${dir}/results`;
    await Deno.mkdir(results);
    await sh("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", results);
    const env = {
      OPENROUTER_API_KEY: TEST_KEY,
      OPENROUTER_BASE_URL: fake.url,
      OPENROUTER_SCOUT_ADMIN_TOKEN: ADMIN_TOKEN,
      OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
      OPENROUTER_SCOUT_CONCURRENCY: "8",
      OPENROUTER_SCOUT_RPM: "100000",
    };
    const scanNow = async (base: string) => {
      const res = await fetch(`${base}/api/scan`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      assert.equal(res.status, 202);
      await res.body?.cancel();
    };
    try {
      const server = await startServer(dir, env);
      await waitFor("the first scan", async () => {
        const [run] = await (await fetch(`${server.base}/api/runs`)).json();
        return run?.status === "completed" ? run : null;
      });
      // Fill the disk to the last byte.
      await new Deno.Command("dd", {
        args: ["if=/dev/zero", `of=${results}/filler`, "bs=4k"],
        stdout: "null",
        stderr: "null",
      }).output();
      await scanNow(server.base);
      await waitFor(
        "the full disk reported",
        () => Promise.resolve(/the disk is full/.test(server.logs()) ? true : null),
      );
      await allServed(server.base);
      assert.equal(await server.stop(), 0);
      assertCleanLines(server.logs().split("\n"));

      const full = await runCli(["scan"], env, dir);
      assert.equal(full.code, 1);
      assert.match(full.stderr.trim().split("\n").at(-1)!, /error: .*the disk is full/);
      assertCleanLines(full.stderr.split("\n"));

      // Room again, but read-only.
      await Deno.remove(`${results}/filler`);
      await sh("mount", "-o", "remount,ro", results);
      const ro = await runCli(["scan"], env, dir);
      assert.equal(ro.code, 1);
      assert.match(ro.stderr.trim().split("\n").at(-1)!, /error: the database is read-only/);
      assertCleanLines(ro.stderr.split("\n"));

      const reader = await startServer(dir, env);
      await allServed(reader.base);
      const models = await (await fetch(`${reader.base}/api/models`)).json();
      assert.equal(models.length, MODELS.length, "it serves what it has");
      await scanNow(reader.base);
      await waitFor("the refusal", () =>
        Promise.resolve(
          reader.logs().match(/scan failed: the database is read-only/g)?.length === 2
            ? true
            : null,
        ));
      await allServed(reader.base);
      assert.equal(await reader.stop(), 0);
      assertCleanLines(reader.logs().split("\n"));
    } finally {
      await new Deno.Command("umount", { args: [results] }).output();
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
