/**
 * A remote libSQL server on loopback, as far as Scouter's client uses one: Hrana over HTTP
 * (version 2, JSON: `POST /v2/pipeline` with `execute`, `batch`, `sequence`, `store_sql`,
 * `close_sql`, `close`), with a bearer token, backed by a real SQLite database (node:sqlite: a
 * synchronous connection, so a batch's BEGIN … COMMIT runs as a server runs it; libsql's own
 * client would roll back a bare BEGIN between two calls). It answers 404 to the v3 probes, so
 * the client speaks v2, as it does with an older sqld.
 *
 *   await using remote = await startFakeLibsql({ token: "t0k" });
 *   const store = await openStore({ url: remote.url, authToken: "t0k" }); // libsql://…?tls=0
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

export interface FakeLibsql {
  /** `libsql://127.0.0.1:PORT?tls=0`: what a user would put in OPENROUTER_SCOUT_DATABASE_URL. */
  url: string;
  /** The backing database, for assertions. */
  db: DatabaseSync;
  /** The Authorization header of every pipeline request, in order. */
  authHeaders: (string | null)[];
  /** Pipeline requests answered (with or without error). */
  pipelines: number;
  [Symbol.asyncDispose](): Promise<void>;
}

type HranaValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

interface HranaStmt {
  sql?: string;
  sql_id?: number;
  args?: HranaValue[];
  named_args?: { name: string; value: HranaValue }[];
  want_rows?: boolean;
}

type HranaCond =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: HranaCond }
  | { type: "and" | "or"; conds: HranaCond[] }
  | { type: "is_autocommit" };

type StreamRequest =
  | { type: "close" | "get_autocommit" }
  | { type: "execute"; stmt: HranaStmt }
  | { type: "batch"; batch: { steps: { condition?: HranaCond; stmt: HranaStmt }[] } }
  | { type: "sequence"; sql?: string; sql_id?: number }
  | { type: "store_sql"; sql_id: number; sql: string }
  | { type: "close_sql"; sql_id: number };

export async function startFakeLibsql(opts: { token: string }): Promise<FakeLibsql> {
  const dir = await Deno.makeTempDir({ prefix: "scouter-remote-" });
  const db = new DatabaseSync(`${dir}/remote.db`);
  addMathFunctions(db);

  const state: FakeLibsql = {
    url: "",
    db,
    authHeaders: [],
    pipelines: 0,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };

  const totalChanges = db.prepare("SELECT total_changes() AS n, last_insert_rowid() AS id");

  function run(stmt: HranaStmt, sqls: Map<number, string>) {
    const sql = stmt.sql ?? sqls.get(stmt.sql_id ?? -1);
    if (sql === undefined) throw new Error(`unknown sql_id ${stmt.sql_id}`);
    const prepared = db.prepare(sql);
    prepared.setReadBigInts(true); // integers as bigint, to tell them from REALs on the wire
    prepared.setReturnArrays(true);
    prepared.setAllowUnknownNamedParameters(true); // as sqld: unused named args are ignored
    const before = Number(totalChanges.get()?.n ?? 0);
    const rows = stmt.named_args?.length
      ? prepared.all(
        Object.fromEntries(
          stmt.named_args.map((a) => [a.name.replace(/^[:@$]/, ""), decode(a.value)]),
        ),
      )
      : prepared.all(...(stmt.args ?? []).map(decode));
    const after = totalChanges.get();
    return {
      cols: prepared.columns().map((c) => ({ name: c.name, decltype: c.type })),
      rows: (rows as unknown as unknown[][]).map((row) => row.map(encodeValue)),
      affected_row_count: Number(after?.n ?? 0) - before,
      last_insert_rowid: after?.id == null ? null : String(after.id),
    };
  }

  function batch(
    steps: { condition?: HranaCond; stmt: HranaStmt }[],
    sqls: Map<number, string>,
  ) {
    const results: (unknown | null)[] = [];
    const errors: (unknown | null)[] = [];
    const holds = (c: HranaCond): boolean => {
      switch (c.type) {
        case "ok":
          return results[c.step] != null;
        case "error":
          return errors[c.step] != null;
        case "not":
          return !holds(c.cond);
        case "and":
          return c.conds.every(holds);
        case "or":
          return c.conds.some(holds);
        case "is_autocommit":
          return !db.isTransaction;
      }
    };
    for (const step of steps) {
      if (step.condition && !holds(step.condition)) {
        results.push(null);
        errors.push(null);
        continue;
      }
      try {
        results.push(run(step.stmt, sqls));
        errors.push(null);
      } catch (e) {
        results.push(null);
        errors.push(errorOf(e));
      }
    }
    return { step_results: results, step_errors: errors };
  }

  function answer(req: StreamRequest, sqls: Map<number, string>): unknown {
    switch (req.type) {
      case "close":
        return { type: "close" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !db.isTransaction };
      case "store_sql":
        sqls.set(req.sql_id, req.sql);
        return { type: "store_sql" };
      case "close_sql":
        sqls.delete(req.sql_id);
        return { type: "close_sql" };
      case "execute":
        return { type: "execute", result: run(req.stmt, sqls) };
      case "batch":
        return { type: "batch", result: batch(req.batch.steps, sqls) };
      case "sequence":
        db.exec(req.sql ?? sqls.get(req.sql_id ?? -1) ?? "");
        return { type: "sequence" };
    }
  }

  /** Synchronous from start to end: requests never interleave. */
  function pipeline(body: { requests: StreamRequest[] }): unknown {
    // Each request opens a stream and closes it: stored SQL lives as long as the request.
    const sqls = new Map<number, string>();
    const results = [];
    for (const req of body.requests) {
      try {
        results.push({ type: "ok", response: answer(req, sqls) });
      } catch (e) {
        results.push({ type: "error", error: errorOf(e) });
      }
    }
    return { baton: null, base_url: null, results };
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v2") return new Response("ok");
    if (req.method !== "POST" || path !== "/v2/pipeline") {
      return new Response("not found", { status: 404 });
    }
    const auth = req.headers.get("authorization");
    state.authHeaders.push(auth);
    state.pipelines++;
    if (auth !== `Bearer ${opts.token}`) {
      return Response.json({ message: "Unauthorized: bad or missing token" }, { status: 401 });
    }
    const body = await req.json();
    return Response.json(pipeline(body));
  });
  state.url = `libsql://127.0.0.1:${server.addr.port}?tls=0`;
  return state;
}

/**
 * SQLite's math functions, which libSQL (and so sqld) compiles in and node:sqlite does not.
 * Like SQLite's, they return NULL for NULL or out-of-domain input.
 */
function addMathFunctions(db: DatabaseSync): void {
  const fns: Record<string, (...xs: number[]) => number> = {
    acos: Math.acos,
    acosh: Math.acosh,
    asin: Math.asin,
    asinh: Math.asinh,
    atan: Math.atan,
    atan2: Math.atan2,
    atanh: Math.atanh,
    ceil: Math.ceil,
    ceiling: Math.ceil,
    cos: Math.cos,
    cosh: Math.cosh,
    degrees: (x) => x * 180 / Math.PI,
    exp: Math.exp,
    floor: Math.floor,
    ln: Math.log,
    log: (a, b) => b === undefined ? Math.log10(a) : Math.log(b) / Math.log(a),
    log10: Math.log10,
    log2: Math.log2,
    mod: (a, b) => a % b,
    pi: () => Math.PI,
    pow: Math.pow,
    power: Math.pow,
    radians: (x) => x * Math.PI / 180,
    sin: Math.sin,
    sinh: Math.sinh,
    sqrt: Math.sqrt,
    tan: Math.tan,
    tanh: Math.tanh,
    trunc: Math.trunc,
  };
  for (const [name, fn] of Object.entries(fns)) {
    db.function(name, { deterministic: true, varargs: true }, (...args) => {
      if (args.some((a) => a === null || typeof a !== "number" && typeof a !== "bigint")) {
        return null;
      }
      const out = fn(...args.map(Number));
      return Number.isFinite(out) ? out : null;
    });
  }
}

function decode(v: HranaValue): SQLInputValue {
  switch (v.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(v.value);
    case "float":
      return v.value;
    case "text":
      return v.value;
    case "blob":
      return Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0));
  }
}

function encodeValue(v: unknown): HranaValue {
  if (v === null || v === undefined) return { type: "null" };
  if (typeof v === "bigint") return { type: "integer", value: String(v) };
  if (typeof v === "number") return { type: "float", value: v };
  if (typeof v === "string") return { type: "text", value: v };
  const bytes = new Uint8Array(v as ArrayBuffer);
  return { type: "blob", base64: btoa(String.fromCharCode(...bytes)) };
}

function errorOf(e: unknown): { message: string; code: string } {
  const err = e as { message?: string; code?: string };
  return { message: err?.message ?? String(e), code: err?.code ?? "UNKNOWN" };
}
