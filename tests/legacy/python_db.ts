/**
 * A database as the Python scouter wrote it (tables `runs` and `healthchecks` with exactly its
 * columns; local times without offset), from hand-written runs or generated realistic history.
 * Used by the import tests and the year benchmark.
 */
import { createClient } from "@libsql/client";
import { prng } from "../../lib/demo/random.ts";

export interface PyCheck {
  model_id: string;
  ok: 0 | 1;
  http_status: number | null;
  error_category: string | null;
  latency_ms: number | null;
}

export interface PyRun {
  id: number;
  /** `YYYY-MM-DD HH:MM:SS`, local time. */
  run_datetime: string;
  checks: PyCheck[];
}

/** Creates `path` with the Python scouter's tables and writes `runs` into it. */
export async function writePythonDb(path: string, runs: Iterable<PyRun>): Promise<number> {
  const client = createClient({ url: `file:${path}` });
  try {
    await client.batch([
      "CREATE TABLE runs (id INTEGER PRIMARY KEY, run_datetime TEXT NOT NULL)",
      `CREATE TABLE healthchecks (run_id INTEGER, model_id TEXT, ok INTEGER, http_status INTEGER,
        error_category TEXT, latency_ms REAL)`,
    ], "write");
    let rows = 0;
    let runRows: unknown[][] = [];
    let checkRows: unknown[][] = [];
    const flush = async () => {
      await client.batch([
        {
          sql: `INSERT INTO runs (id, run_datetime)
            SELECT value ->> 0, value ->> 1 FROM json_each(?)`,
          args: [JSON.stringify(runRows)],
        },
        {
          sql: `INSERT INTO healthchecks (run_id, model_id, ok, http_status, error_category,
              latency_ms)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5
            FROM json_each(?)`,
          args: [JSON.stringify(checkRows)],
        },
      ], "write");
      runRows = [];
      checkRows = [];
    };
    for (const run of runs) {
      runRows.push([run.id, run.run_datetime]);
      for (const c of run.checks) {
        checkRows.push([run.id, c.model_id, c.ok, c.http_status, c.error_category, c.latency_ms]);
      }
      rows += run.checks.length;
      if (checkRows.length >= 20_000) await flush();
    }
    await flush();
    return rows;
  } finally {
    client.close();
  }
}

/** `YYYY-MM-DD HH:MM:SS` of a wall-clock time given as if UTC. */
export function wallText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Hourly runs of `models` models over `days` days of wall-clock time ending at `end` (read as
 * UTC): mostly ok, then upstream 429s, 5xx, 404s and 400s, network errors, unexpected errors,
 * and about one run in 200 cut by the daily quota (every check after some point a 429).
 */
export function* pythonHistory(
  opts: { models: number; days: number; end: number; seed?: number },
): Generator<PyRun> {
  const r = prng(opts.seed ?? 5);
  const ids = Array.from({ length: opts.models }, (_, i) => `vendor-${i % 17}/model-${i}:free`);
  const runs = opts.days * 24;
  for (let k = 0; k < runs; k++) {
    const at = opts.end - (runs - 1 - k) * 3_600_000;
    const quotaAt = r() < 1 / 200 ? Math.floor(r() * opts.models) : Infinity;
    const checks = ids.map((model_id, i): PyCheck => {
      if (i >= quotaAt) {
        return {
          model_id,
          ok: 0,
          http_status: 429,
          error_category: "rate_limited",
          latency_ms: 90,
        };
      }
      const x = r();
      const fail = (http: number | null, category: string, latency: number | null): PyCheck => ({
        model_id,
        ok: 0,
        http_status: http,
        error_category: category,
        latency_ms: latency,
      });
      if (x < 0.86) {
        return {
          model_id,
          ok: 1,
          http_status: 200,
          error_category: null,
          latency_ms: Math.round(400 + r() * 3000 + (i % 5) * 300) + 0.25,
        };
      }
      if (x < 0.93) return fail(429, "rate_limited", 120);
      if (x < 0.97) return fail(502, "server_error", 800);
      if (x < 0.98) return fail(404, "client_error", 150);
      if (x < 0.985) return fail(400, "client_error", 150);
      if (x < 0.995) return fail(null, "network", null);
      return fail(200, "unexpected", 1_000);
    });
    yield { id: k + 1, run_datetime: wallText(at), checks };
  }
}
