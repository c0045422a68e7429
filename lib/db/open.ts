/** Opening the database: local file (default) or a remote libSQL server, then migrations. */
import type { Client, Config } from "@libsql/client";
import { dirname } from "node:path";
import { describeError, StoreError } from "./errors.ts";
import { migrate } from "./migrations.ts";
import { createStore, type Store } from "./store.ts";

export const DEFAULT_DB_PATH = "results/scouter.db";
const BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /** A `file:`, `libsql:`, `https:` (or `http:`, `ws:`, `wss:`) URL; wins over `path`. */
  url?: string | null;
  /** A local file (its directory is created), or `:memory:`. Default `results/scouter.db`. */
  path?: string;
  authToken?: string | null;
  /** Clock for the migration bookkeeping. */
  now?: number;
}

interface Target {
  url: string;
  /** The local file, when there is one (null for remote and in-memory databases). */
  file: string | null;
  local: boolean;
  memory: boolean;
  /** How to name the database in messages: no credentials, no query string. */
  label: string;
}

/** Opens (creating if needed) and migrates the database. Failures are one-line StoreErrors. */
export async function openStore(opts: OpenOptions = {}): Promise<Store> {
  const token = opts.authToken || undefined;
  let target: Target;
  try {
    target = resolveTarget(opts);
  } catch (e) {
    throw new StoreError(`bad database location: ${describeError(e, [token])}`);
  }
  const connect = async (): Promise<Client> => {
    const client = (await clientFactory(target.local))({
      url: target.url,
      authToken: target.local ? undefined : token,
      // One connection for a local database: PRAGMAs are per connection, and the client's pool
      // would otherwise open fresh connections (without them) under concurrent calls.
      concurrency: target.local ? 1 : undefined,
      timeout: target.local ? BUSY_TIMEOUT_MS : undefined,
    });
    try {
      if (target.local) await configureLocal(client, target.memory);
      await migrate(client, opts.now ?? Date.now());
      return client;
    } catch (e) {
      client.close();
      throw e;
    }
  };
  try {
    if (target.file !== null) await Deno.mkdir(dirname(target.file), { recursive: true });
    return createStore(await retryWhileBusy(connect));
  } catch (e) {
    if (e instanceof StoreError) {
      throw new StoreError(`database ${target.label}: ${describeError(e, [token])}`);
    }
    // Deno's own text here ("run again with the --allow-all flag") names a flag the tasks
    // never pass: /proc, /sys and /dev are outside any narrower permission.
    if (e instanceof Deno.errors.NotCapable) {
      throw new StoreError(
        `cannot open database ${target.label}: Scouter may not write there; choose another path`,
      );
    }
    throw new StoreError(`cannot open database ${target.label}: ${describeError(e, [token])}`);
  }
}

/**
 * The libSQL client for a target, loaded on first use. The default entry loads libSQL's native
 * addon as it is imported (it needs --allow-ffi and a platform that loads native code); a remote
 * database needs only HTTP, so it gets the web entry and never loads the addon.
 */
async function clientFactory(local: boolean): Promise<(config: Config) => Client> {
  return local
    ? (await import("@libsql/client")).createClient
    : (await import("@libsql/client/web")).createClient;
}

/**
 * Several processes opening the same new database at once (the server and a scan started
 * together) contend for SQLite's locks; if one still gets SQLITE_BUSY past the busy timeout,
 * it tries again on a fresh connection (a failed one can be left inside a transaction).
 */
async function retryWhileBusy<T>(step: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1;; i++) {
    try {
      return await step();
    } catch (e) {
      const busy = /SQLITE_BUSY|database is locked/i.test(String((e as Error)?.message ?? e));
      if (!busy || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    }
  }
}

async function configureLocal(client: Client, memory: boolean): Promise<void> {
  await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!memory) {
    // WAL: readers (the web server) never block the scanner's writes, and a commit is one
    // append, so a killed process loses nothing already committed.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
  }
  await client.execute("PRAGMA foreign_keys = ON");
}

function resolveTarget(opts: OpenOptions): Target {
  const url = opts.url?.trim();
  if (url) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
    if (scheme === undefined) throw new Error("the database URL has no scheme (file:, libsql:)");
    if (scheme !== "file") {
      const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url)?.[1] ?? "";
      return { url, file: null, local: false, memory: false, label: `${scheme}://${host}` };
    }
    const file = filePathOfUrl(url);
    const memory = file === ":memory:";
    return { url, file: memory ? null : file, local: true, memory, label: file };
  }
  const path = opts.path?.trim() || DEFAULT_DB_PATH;
  if (path === ":memory:") {
    return { url: ":memory:", file: null, local: true, memory: true, label: ":memory:" };
  }
  return { url: `file:${encodePath(path)}`, file: path, local: true, memory: false, label: path };
}

/** The path of a `file:` URL, as libsql reads it (`file:rel/a.db`, `file:///abs/a.db`). */
function filePathOfUrl(url: string): string {
  const m = /^file:(?:\/\/[^/?#]*)?([^?#]*)/i.exec(url);
  return decodeURIComponent(m?.[1] ?? "");
}

/** libsql percent-decodes the path of a `file:` URL and cuts it at `?` or `#`. */
function encodePath(path: string): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  // A leading `//` would be read as a URL authority.
  return encoded.startsWith("//") ? `/${encoded.replace(/^\/+/, "")}` : encoded;
}
