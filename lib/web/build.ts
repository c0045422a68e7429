/**
 * The build: islands/boot.ts and every island bundled by esbuild (code-split, each island a
 * lazy chunk), the Tailwind stylesheet, all with content-hashed names, plus manifest.json,
 * in static/build/. Each .js/.css also gets .gz and .br siblings for assets.ts to serve.
 *
 * `ensureAssets()` (and `deno task build`) build only when the inputs changed;
 * `buildAssets()` (and `deno task build --force`) always do.
 */
import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import { promisify } from "node:util";
import { basename, dirname, join, relative } from "node:path";
import type { Metafile } from "esbuild";
import {
  BUILD_DIR,
  HASHED_NAME,
  hashInputs,
  type Manifest,
  readManifest,
  ROOT,
  setActiveManifest,
} from "./manifest.ts";

export interface BuildOptions {
  /** The project root (holding islands/, static/ and deno.json). */
  root?: string;
  /** Where the built files go; static/build/ by default. */
  outDir?: string;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export async function buildAssets(options: BuildOptions = {}): Promise<Manifest> {
  const root = options.root ?? ROOT;
  const outDir = options.outDir ?? BUILD_DIR;
  const inputsHash = await hashInputs(root);
  await Deno.mkdir(outDir, { recursive: true });
  const [js, css] = await Promise.all([bundleIslands(root, outDir), buildCss(root, outDir)]);

  const outputs = new Map<string, Uint8Array>([...js.files, [css.name, css.contents]]);
  const files = await Promise.all(
    [...outputs].map(([name, contents]) => writeOutput(outDir, name, contents)),
  );

  const manifest: Manifest = {
    inputsHash,
    boot: js.boot,
    css: css.name,
    preload: js.preload,
    files: files.sort((a, b) => a.name.localeCompare(b.name)),
    builtAt: new Date().toISOString(),
  };
  const json = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n");
  await writeAtomic(join(outDir, "manifest.json"), json);
  await removeStale(outDir, new Set(outputs.keys()));
  return manifest;
}

/** Write-then-rename: a reader (the server, a concurrent build) never sees half a file. */
async function writeAtomic(path: string, contents: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}-${crypto.randomUUID()}`);
  await Deno.writeFile(tmp, contents);
  await Deno.rename(tmp, path);
}

/**
 * Write a built file with its .gz and .br. Names are content hashes, so a file already there
 * (written last, atomically, after its siblings) is this very file: skip the slow brotli.
 */
async function writeOutput(outDir: string, name: string, contents: Uint8Array) {
  const path = join(outDir, name);
  try {
    const gz = await Deno.stat(`${path}.gz`);
    if ((await Deno.stat(path)).size === contents.length) {
      return { name, bytes: contents.length, gzipBytes: gz.size };
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const [gz, br] = await Promise.all([
    gzipAsync(contents, { level: 9 }),
    brotliAsync(contents, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
  ]);
  await Promise.all([writeAtomic(`${path}.gz`, gz), writeAtomic(`${path}.br`, br)]);
  await writeAtomic(path, contents);
  return { name, bytes: contents.length, gzipBytes: gz.length };
}

interface BundleResult {
  boot: string;
  files: Map<string, Uint8Array>;
  preload: Manifest["preload"];
}

async function bundleIslands(root: string, outDir: string): Promise<BundleResult> {
  // Imported here, not at the top: a server that only serves a finished build (or a compiled
  // binary) never loads esbuild.
  const esbuild = await import("esbuild");
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [join(root, "islands", "boot.ts")],
      outdir: outDir, // we write the files ourselves (write: false), with .gz/.br beside them
      write: false,
      metafile: true,
      bundle: true,
      splitting: true,
      format: "esm",
      target: "es2020",
      minify: true,
      jsx: "automatic",
      jsxImportSource: "preact",
      entryNames: "[name]-[hash]",
      chunkNames: "[name]-[hash]",
      // ECharts and Preact check NODE_ENV; the browser has no `process`.
      define: { "process.env.NODE_ENV": '"production"' },
      legalComments: "none",
      logLevel: "silent",
    });
    for (const warning of result.warnings) console.warn(`esbuild: ${warning.text}`);
    const files = new Map<string, Uint8Array>();
    for (const file of result.outputFiles) files.set(basename(file.path), file.contents);
    return { files, ...entries(result.metafile, root) };
  } finally {
    await esbuild.stop();
  }
}

/** The boot file, and what to modulepreload for boot and for each island. */
function entries(metafile: Metafile, root: string): Omit<BundleResult, "files"> {
  const outputs = metafile.outputs;
  // Static imports only: dynamic ones (an island's lazy ECharts chunk) stay lazy.
  const closure = (path: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(path)) return seen;
    seen.add(path);
    for (const dep of outputs[path].imports) {
      if (dep.kind === "import-statement") closure(dep.path, seen);
    }
    return seen;
  };
  let boot = "";
  const islands: Record<string, string[]> = {};
  for (const [path, output] of Object.entries(outputs)) {
    const source = output.entryPoint && relative(root, join(root, output.entryPoint));
    if (source === join("islands", "boot.ts")) boot = path;
    else if (source && /^islands\/[A-Z]\w*\.tsx$/.test(source)) {
      islands[basename(source, ".tsx")] = [...closure(path)].map((p) => basename(p));
    }
  }
  if (!boot) throw new Error("esbuild produced no boot module");
  const bootChunks = closure(boot);
  bootChunks.delete(boot); // the <script> itself loads boot
  for (const [name, files] of Object.entries(islands)) {
    islands[name] = files.filter((f) => ![...bootChunks].some((b) => basename(b) === f));
  }
  return {
    boot: basename(boot),
    preload: { boot: [...bootChunks].map((p) => basename(p)), islands },
  };
}

async function buildCss(
  root: string,
  outDir: string,
): Promise<{ name: string; contents: Uint8Array }> {
  // The CLI version pinned in deno.json, run by this same deno binary.
  const denoJson = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const cli: string = denoJson.imports["@tailwindcss/cli"];
  const tmp = join(outDir, `.styles-${crypto.randomUUID()}.css`);
  try {
    const { success, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", cli, "-i", join(root, "static", "styles.css"), "-o", tmp, "--minify"],
      cwd: root,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!success) {
      throw new Error(`tailwindcss failed:\n${new TextDecoder().decode(stderr)}`);
    }
    const contents = await Deno.readFile(tmp);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", contents));
    const hash = Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    return { name: `styles-${hash}.css`, contents };
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/** Delete earlier builds' files (only names this build could have written). */
async function removeStale(outDir: string, keep: Set<string>): Promise<void> {
  for await (const entry of Deno.readDir(outDir)) {
    const base = entry.name.replace(/\.(gz|br)$/, "");
    if (entry.isFile && HASHED_NAME.test(base) && !keep.has(base)) {
      await Deno.remove(join(outDir, entry.name)).catch(() => {}); // a concurrent build's
    }
  }
}

export interface EnsureResult {
  manifest: Manifest;
  built: boolean;
  ms: number;
}

/**
 * Make sure a current build exists, building only when the manifest is missing or the inputs
 * changed, and make it the one pages link to. Without write access (or build tools), an
 * existing but outdated build is used with a warning rather than failing the server.
 */
export async function ensureAssets(options: BuildOptions = {}): Promise<EnsureResult> {
  const start = performance.now();
  const outDir = options.outDir ?? BUILD_DIR;
  const [existing, inputsHash] = await Promise.all([
    readManifest(outDir),
    hashInputs(options.root ?? ROOT),
  ]);
  if (existing && existing.inputsHash === inputsHash && await present(outDir, existing)) {
    setActiveManifest(existing);
    return { manifest: existing, built: false, ms: performance.now() - start };
  }
  try {
    const manifest = await buildAssets(options);
    setActiveManifest(manifest);
    return { manifest, built: true, ms: performance.now() - start };
  } catch (err) {
    if (existing && await present(outDir, existing)) {
      console.warn(
        `web assets are out of date and could not be rebuilt here (${err}); serving the ` +
          "previous build. Run `deno task build`.",
      );
      setActiveManifest(existing);
      return { manifest: existing, built: false, ms: performance.now() - start };
    }
    throw new Error(`building web assets failed: ${(err as Error).message}`, { cause: err });
  }
}

async function present(outDir: string, manifest: Manifest): Promise<boolean> {
  try {
    await Promise.all(manifest.files.map((f) => Deno.stat(join(outDir, f.name))));
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  // Like make: nothing to do when the build is current; --force rebuilds anyway.
  const start = performance.now();
  const { manifest, built } = Deno.args.includes("--force")
    ? { manifest: await buildAssets(), built: true }
    : await ensureAssets();
  const ms = Math.round(performance.now() - start);
  if (!built) {
    console.log(`static/build/ is up to date (${ms} ms; --force to rebuild)`);
  } else {
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
    for (const f of manifest.files) {
      console.log(`${f.name.padEnd(32)} ${kb(f.bytes)} ${kb(f.gzipBytes)} gzip`);
    }
    console.log(`built static/build/ in ${ms} ms`);
  }
}
