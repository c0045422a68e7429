/**
 * Where the web assets live and what the last build produced. Paths come from this module's
 * location, never the working directory, so the server (or a compiled binary, whose files
 * sit in its embedded file system) finds them wherever it is started from.
 */
import { join, relative } from "node:path";
import type { IslandName } from "../../islands/registry.ts";

export const ROOT = join(import.meta.dirname!, "..", "..");
export const STATIC_DIR = join(ROOT, "static");
export const BUILD_DIR = join(STATIC_DIR, "build");
/** URL prefix of the built files (served by lib/web/assets.ts). */
export const BUILD_URL = "/static/build/";
/** A built file's name, `name-HASH.ext`: what the build writes and assets.ts caches forever. */
export const HASHED_NAME = /^[\w.]+-[A-Za-z0-9]{8}\.(js|css)$/;

/** The sources whose content decides the build; any change means a rebuild. */
export const INPUT_DIRS = ["islands", "components", "routes", "lib/web"];
export const INPUT_FILES = ["static/styles.css", "deno.lock"]; // the lock: dependency bumps

export interface Manifest {
  /** Hash of every input file, to tell whether the build is current. */
  inputsHash: string;
  /** The boot module's file name in the build dir, e.g. "boot-3FQ2A7ZC.js". */
  boot: string;
  /** The stylesheet's file name, e.g. "styles-1a2b3c4d.css". */
  css: string;
  /** Files to `modulepreload`: boot's static imports, and each island's chunk plus its own. */
  preload: { boot: string[]; islands: Partial<Record<IslandName, string[]>> };
  /** Every file the build wrote (without the .gz/.br siblings), with raw and gzip sizes. */
  files: { name: string; bytes: number; gzipBytes: number }[];
  builtAt: string;
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return; // e.g. routes/ not written yet
    throw err;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}

/** SHA-256 over the sorted relative paths and contents of the build's inputs. */
export async function hashInputs(root = ROOT): Promise<string> {
  const files: string[] = [];
  for (const dir of INPUT_DIRS) {
    for await (const path of walk(join(root, dir))) files.push(relative(root, path));
  }
  for (const file of INPUT_FILES) {
    try {
      if ((await Deno.stat(join(root, file))).isFile) files.push(file);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  files.sort();
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for (const file of files) {
    const content = await Deno.readFile(join(root, file));
    parts.push(encoder.encode(`${file}\0${content.length}\0`), content);
  }
  const digest = await crypto.subtle.digest("SHA-256", concat(parts));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The manifest in `buildDir`, or null when there is none (or it is unreadable garbage). */
export async function readManifest(buildDir = BUILD_DIR): Promise<Manifest | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(buildDir, "manifest.json"));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
  try {
    const manifest = JSON.parse(text) as Manifest;
    return typeof manifest.boot === "string" && typeof manifest.css === "string" ? manifest : null;
  } catch {
    return null;
  }
}

let active: Manifest | null = null;

/** Make `manifest` the one pages link to (ensureAssets and loadAssets do). */
export function setActiveManifest(manifest: Manifest | null): void {
  active = manifest;
}

/** The manifest pages link to; null until assets are loaded (pages then ship no CSS/JS). */
export function activeManifest(): Manifest | null {
  return active;
}

/**
 * Use an existing build without checking or building anything: for read-only deployments
 * and compiled binaries, where the sources and the build tools are not around.
 */
export async function loadAssets(buildDir = BUILD_DIR): Promise<Manifest> {
  const manifest = await readManifest(buildDir);
  if (!manifest) {
    throw new Error(`no web assets in ${buildDir}: run \`deno task build\` first`);
  }
  setActiveManifest(manifest);
  return manifest;
}
