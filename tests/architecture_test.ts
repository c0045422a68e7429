/**
 * The import rules of lib/README.md, read from the code: every import of the program's own
 * files goes to the same folder or to a folder lower in LAYERS. An upward import, an import
 * between two folders of one layer, or a folder missing from LAYERS fails here.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";

const ROOT = normalize(join(dirname(new URL(import.meta.url).pathname), ".."));

/** Top to bottom; folders on one line are siblings and import neither each other nor up. */
export const LAYERS: readonly (readonly string[])[] = [
  ["main.ts", "deploy.ts"],
  ["lib/cli"],
  ["routes"],
  // Above its siblings only to share routes/api/auth.ts (the constant-time token check).
  ["routes/v1"],
  ["routes/api", "routes/pages"],
  ["components"],
  ["lib/web"],
  ["lib/schedule"],
  ["lib/router"],
  ["lib/planner"],
  ["lib/metrics"],
  ["lib/recommend"],
  ["lib/alerts"],
  ["lib/scan"],
  ["lib/legacy", "lib/demo"],
  ["islands"],
  ["lib/stats"],
  ["lib/db"],
  ["lib/openrouter"],
  ["lib/config"],
  ["lib/domain"],
  ["lib/log.ts", "lib/xml.ts", "lib/version.ts"],
];

const SOURCE_DIRS = ["lib", "routes", "components", "islands"];
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** The folder a file belongs to, as LAYERS names it. */
export function folderOf(path: string): string {
  const parts = path.split("/");
  if (parts.length === 1) return path;
  if (parts[0] === "lib") return parts.length === 2 ? path : `lib/${parts[1]}`;
  if (parts[0] === "routes") return parts.length === 2 ? "routes" : `routes/${parts[1]}`;
  return parts[0];
}

export function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

export interface Import {
  from: string;
  to: string;
}

/** Relative imports of one file's text, resolved against its repository path. */
export function importsOf(path: string, text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    out.push({ from: path, to: normalize(join(dirname(path), spec)) });
  }
  return out;
}

/** Why an import breaks the rules, or null when it keeps them. */
export function violation({ from, to }: Import): string | null {
  const a = folderOf(from), b = folderOf(to);
  if (a === b) return null;
  const la = layerOf(a), lb = layerOf(b);
  if (la < 0) return `${a} is not in LAYERS (tests/architecture_test.ts, lib/README.md)`;
  if (lb < 0) return `${b} is not in LAYERS (tests/architecture_test.ts, lib/README.md)`;
  if (la === lb) return `${from} imports ${to}: ${a} and ${b} are siblings`;
  if (la > lb) return `${from} imports ${to}: ${b} sits above ${a}`;
  return null;
}

async function sourceFiles(): Promise<string[]> {
  const files = ["main.ts", "deploy.ts"];
  const visit = async (dir: string) => {
    for await (const entry of Deno.readDir(join(ROOT, dir))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await visit(path);
      else if (/\.tsx?$/.test(entry.name)) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) await visit(dir);
  return files;
}

Deno.test("every import of the program runs down the layers of lib/README.md", async () => {
  const problems: string[] = [];
  let count = 0;
  for (const file of await sourceFiles()) {
    const text = await Deno.readTextFile(join(ROOT, file));
    for (const imp of importsOf(file, text)) {
      count++;
      if (!imp.to.startsWith("..")) {
        const why = violation(imp);
        if (why) problems.push(why);
      } else problems.push(`${file} imports ${imp.to}, outside the program`);
    }
  }
  assert.ok(count > 300, `only ${count} imports read: is the pattern still right?`);
  assert.deepEqual(problems, []);
});

Deno.test("every folder of the program has a place in LAYERS", async () => {
  const folders = new Set((await sourceFiles()).map(folderOf));
  const missing = [...folders].filter((f) => layerOf(f) < 0);
  assert.deepEqual(missing, []);
});

Deno.test("the rules catch an upward, a sibling and an unplaced import", () => {
  const ok = importsOf("lib/scan/scan.ts", 'import { x } from "../db/store.ts";');
  assert.deepEqual(ok, [{ from: "lib/scan/scan.ts", to: "lib/db/store.ts" }]);
  assert.equal(violation(ok[0]), null);
  assert.match(
    violation(importsOf("lib/db/runs.ts", 'import type { A } from "../scan/scan.ts";')[0])!,
    /lib\/scan sits above lib\/db/,
  );
  assert.match(
    violation({ from: "lib/demo/fill.ts", to: "lib/legacy/import.ts" })!,
    /siblings/,
  );
  assert.match(violation({ from: "lib/new/x.ts", to: "lib/db/store.ts" })!, /not in LAYERS/);
  const dynamic = importsOf("islands/Chart.tsx", 'const m = await import("./chart_mount.ts");');
  assert.deepEqual(dynamic, [{ from: "islands/Chart.tsx", to: "islands/chart_mount.ts" }]);
});
