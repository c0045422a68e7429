import assert from "node:assert/strict";
import { join } from "node:path";
import { buildAssets, ensureAssets } from "../../lib/web/build.ts";
import { activeManifest, HASHED_NAME, readManifest } from "../../lib/web/manifest.ts";

Deno.test("build writes hashed, precompressed files and a manifest; ensureAssets reuses it", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "scouter-build-" });
  try {
    // A leftover from an earlier build goes; files the build could not have written stay.
    await Deno.writeTextFile(join(outDir, "boot-OLDOLD00.js"), "old");
    await Deno.writeTextFile(join(outDir, "keep.txt"), "mine");

    const first = await ensureAssets({ outDir });
    assert.equal(first.built, true);
    console.log(`build: ${Math.round(first.ms)} ms`);
    const manifest = first.manifest;
    assert.deepEqual(await readManifest(outDir), manifest);
    assert.equal(activeManifest(), manifest);

    assert.match(manifest.boot, /^boot-[A-Z0-9]{8}\.js$/);
    assert.match(manifest.css, /^styles-[0-9a-f]{8}\.css$/);
    assert.match(manifest.inputsHash, /^[0-9a-f]{64}$/);
    const names = manifest.files.map((f) => f.name);
    assert.ok(names.includes(manifest.boot) && names.includes(manifest.css));
    for (const island of ["Chart", "ThemeToggle"] as const) {
      const [chunk] = manifest.preload.islands[island] ?? [];
      assert.match(chunk, new RegExp(`^${island}-[A-Z0-9]{8}\\.js$`), `${island} chunk`);
    }
    // ECharts is a lazy chunk of its own, loaded by the Chart island, not preloaded.
    const echarts = names.find((n) => n.startsWith("chart_mount-"));
    assert.ok(echarts, "chart_mount chunk");
    assert.ok(!Object.values(manifest.preload.islands).flat().includes(echarts));

    const onDisk = new Set<string>();
    for await (const entry of Deno.readDir(outDir)) onDisk.add(entry.name);
    for (const name of names) {
      assert.match(name, HASHED_NAME);
      for (const suffix of ["", ".gz", ".br"]) assert.ok(onDisk.has(name + suffix), name + suffix);
    }
    assert.ok(!onDisk.has("boot-OLDOLD00.js"), "stale build output removed");
    assert.ok(onDisk.has("keep.txt"), "unrelated files kept");
    assert.ok(![...onDisk].some((n) => n.startsWith(".")), "no temp files left");

    const boot = await Deno.readTextFile(join(outDir, manifest.boot));
    assert.ok(!boot.includes("process.env"), "NODE_ENV is defined away");
    assert.match(boot, /import\(/, "islands are loaded lazily");
    const css = await Deno.readTextFile(join(outDir, manifest.css));
    assert.ok(css.includes("[data-island]"), "the island marker rule");
    assert.ok(css.includes(".dark\\:hidden"), "classes used by islands are generated");

    const second = await ensureAssets({ outDir });
    console.log(`ensureAssets, nothing to do: ${second.ms.toFixed(1)} ms`);
    assert.equal(second.built, false);
    assert.deepEqual(second.manifest, manifest);
    assert.ok(second.ms < first.ms / 4, `${second.ms} ms is not much faster than a build`);

    // A build file gone missing means a rebuild, even with unchanged inputs.
    await Deno.remove(join(outDir, manifest.css));
    assert.equal((await ensureAssets({ outDir })).built, true);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("ensureAssets uses an existing build it cannot refresh", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "scouter-build-" });
  try {
    const manifest = await buildAssets({ outDir });
    // Pretend the sources changed, then make the build fail (no deno.json at that root).
    const stale = { ...manifest, inputsHash: "outdated" };
    await Deno.writeTextFile(join(outDir, "manifest.json"), JSON.stringify(stale));
    const emptyRoot = await Deno.makeTempDir();
    const { warn } = console;
    const warnings: string[] = [];
    console.warn = (msg: string) => warnings.push(msg);
    try {
      const result = await ensureAssets({ outDir, root: emptyRoot });
      assert.equal(result.built, false);
      assert.equal(result.manifest.boot, manifest.boot);
      assert.match(warnings.join("\n"), /out of date/);
    } finally {
      console.warn = warn;
      await Deno.remove(emptyRoot, { recursive: true });
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
