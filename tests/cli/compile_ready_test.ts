/**
 * Compile-readiness. `deno compile` cannot run here (it downloads its runtime, denort), so
 * this proves what a single executable relies on: the server finds its pages, CSS and island
 * JS from the code's own location (import.meta.dirname, the embedded file system in a binary),
 * puts its default database under the working directory, and writes nothing beside the code;
 * and the compile task builds first and embeds the assets with the server's own permissions.
 */
import assert from "node:assert/strict";
import { BUILD_URL, ROOT } from "../../lib/web/manifest.ts";
import { ensureAssets } from "../../lib/web/build.ts";
import { CONFIG } from "./run_cli.ts";
import { listTree, permissionsOf, START_PERMISSIONS, startServer } from "./server_process.ts";

const TASKS: Record<string, string> = JSON.parse(await Deno.readTextFile(CONFIG)).tasks;

/** What the server may have written next to the code: a database or its results/ folder. */
async function strayFiles(): Promise<string[]> {
  const names: string[] = [];
  for (const dir of ["", "static/"]) {
    for await (const e of Deno.readDir(`${ROOT}/${dir}`)) names.push(`${dir}${e.name}`);
  }
  return names.filter((n) => /(^|\/)results$|\.db(-wal|-shm|-journal)?$/.test(n)).sort();
}

Deno.test("serve from an unrelated directory: pages, CSS and island JS found, database under that directory", async () => {
  await ensureAssets();
  const strayBefore = await strayFiles();
  const dir = await Deno.makeTempDir({ prefix: "scouter-anywhere-" });
  // No API key: scanning is off, the server serves what is stored (nothing yet).
  const server = await startServer({ entry: "main.ts", args: ["serve"], cwd: dir, env: {} });
  let stopped: { code: number; output: string } | null = null;
  try {
    const home = await fetch(`${server.base}/`);
    assert.equal(home.status, 200);
    assert.match(home.headers.get("content-type") ?? "", /text\/html/);
    const html = await home.text();

    const css = [...html.matchAll(/href="(\/static\/build\/[^"]+\.css)"/g)].map((m) => m[1]);
    const js = [...html.matchAll(/(?:src|href)="(\/static\/build\/[^"]+\.js)"/g)].map((m) => m[1]);
    assert.equal(css.length, 1, "the page links its stylesheet");
    assert.ok(js.length > 0, "the page loads the islands' boot module");
    for (const path of [...css, ...new Set(js)]) {
      assert.ok(path.startsWith(BUILD_URL));
      const res = await fetch(`${server.base}${path}`);
      assert.equal(res.status, 200, path);
      const type = res.headers.get("content-type") ?? "";
      assert.match(type, path.endsWith(".css") ? /text\/css/ : /javascript/, path);
      assert.ok((await res.arrayBuffer()).byteLength > 100, `${path} has content`);
    }
    const favicon = await fetch(`${server.base}/static/favicon.svg`);
    assert.equal(favicon.status, 200);
    await favicon.body?.cancel();

    const summary = await fetch(`${server.base}/api/summary`);
    assert.equal(summary.status, 200);
    assert.equal((await summary.json()).total_models, 0);
    for (const page of ["/runs", "/openapi.json"]) {
      const res = await fetch(`${server.base}${page}`);
      assert.equal(res.status, 200, page);
      await res.body?.cancel();
    }

    const db = await Deno.stat(`${dir}/results/scouter.db`);
    assert.ok(db.isFile, "the default database is <cwd>/results/scouter.db");
  } finally {
    stopped = await server.stop();
    const tree = await listTree(dir);
    await Deno.remove(dir, { recursive: true });
    assert.ok(
      tree.every((p) => p === "results" || p.startsWith("results/")),
      `only results/ in the working directory, got ${tree.join(", ")}`,
    );
  }
  assert.equal(stopped.code, 0, stopped.output);
  assert.deepEqual(await strayFiles(), strayBefore, "nothing written beside the code");
});

Deno.test("the compile task builds the assets first, then embeds them with the server's permissions", () => {
  const task = TASKS.compile;
  const [build, compile, ...rest] = task.split("&&").map((s) => s.trim());
  assert.equal(rest.length, 0);
  assert.equal(build, "deno task build");
  assert.match(compile, /^deno compile /);
  assert.deepEqual(permissionsOf(compile), START_PERMISSIONS, "the start task's permissions");
  assert.ok(!compile.includes("--allow-run"), "the server never spawns a process");
  // deno.json's "unstable" is not relied upon for the binary: the flag is given explicitly.
  assert.match(compile, /--unstable-cron\b/);
  const includes = [...compile.matchAll(/--include[= ](\S+)/g)].map((m) => m[1]);
  assert.ok(
    includes.some((path) => path === "static" || path === "static/build"),
    "the built assets are embedded",
  );
  assert.ok(includes.includes("static") || includes.includes("static/favicon.svg"));
  assert.match(compile, /--output dist\/scouter main\.ts$/);
});
