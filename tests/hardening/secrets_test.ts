/**
 * The API key (and the admin token) appear nowhere a user or an attacker could look: not in
 * the server's log, not in any page, API answer, error, header or the OpenAPI document, not
 * in the metrics, not in the database files — after a scan that succeeded, one whose chat
 * got a 401, and one whose key was refused outright.
 */
import assert from "node:assert/strict";
import { startFakeOpenRouter } from "../fake_openrouter.ts";
import { ADMIN_TOKEN } from "./app_world.ts";
import { startServer, waitFor } from "./server.ts";

const KEY = `sk-or-v1-${crypto.randomUUID().replaceAll("-", "")}${
  crypto.randomUUID().replaceAll("-", "")
}`;
/** Enough of each secret to recognise it anywhere, even cut or reformatted. */
const NEEDLES = [KEY, KEY.slice(-20), KEY.slice(9, 29), ADMIN_TOKEN, ADMIN_TOKEN.slice(-16)];

function assertNoSecret(where: string, text: string) {
  for (const needle of NEEDLES) {
    assert.ok(!text.includes(needle), `${where} holds a secret (${needle.slice(0, 6)}…)`);
  }
}

/** Every file beside the database (the .db, its -wal and -shm), as text. */
async function dbFiles(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const entry of Deno.readDir(`${dir}/results`)) {
    const bytes = await Deno.readFile(`${dir}/results/${entry.name}`);
    out.push([entry.name, new TextDecoder("latin1").decode(bytes)]);
  }
  return out;
}

Deno.test("the API key and the admin token are nowhere: logs, pages, API, errors, OpenAPI, metrics, database", async () => {
  const models = [
    { id: "good/alpha:free", name: "Alpha" },
    { id: "good/bravo:free", name: "Bravo" },
    { id: "good/charlie:free", name: "Charlie" },
  ];
  const fake = await startFakeOpenRouter({ models, apiKey: KEY });
  const dir = await Deno.makeTempDir({ prefix: "scouter-secrets-" });
  const server = await startServer(dir, {
    OPENROUTER_API_KEY: KEY,
    OPENROUTER_BASE_URL: fake.url,
    OPENROUTER_SCOUT_ADMIN_TOKEN: ADMIN_TOKEN,
    OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS: "0",
    OPENROUTER_SCOUT_MAX_RETRIES: "0",
  });
  const base = server.base;
  const runs = async () => await (await fetch(`${base}/api/runs`)).json();
  const scanAndWait = async (count: number) => {
    const res = await fetch(`${base}/api/scan`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(res.status, 202, await res.text());
    return await waitFor(`run ${count}`, async () => {
      const list = await runs();
      return list.length === count && list[0].status !== "running" ? list[0] : null;
    });
  };
  try {
    // 1: the scan on start, a success.
    const first = await waitFor("the first scan", async () => {
      const [run] = await runs();
      return run && run.status !== "running" ? run : null;
    });
    assert.equal(first.status, "completed");
    // 2: a chat answered 401 and GET /key, asked again, refuses too (the key stopped working
    // mid-scan; a 401 alone while GET /key accepts the key is OpenRouter's trouble).
    fake.setModels([{ ...models[0], behaviors: ["http_401"] }, models[1], models[2]]);
    // The scan's first GET /key passes; the re-check after the chat 401 is refused.
    fake.configure({ keyFailsAfter: 1 });
    const second = await scanAndWait(2);
    assert.equal(second.status, "failed");
    // 3: the key refused from the start (GET /key answers 401).
    fake.configure({ apiKey: "sk-or-v1-someone-else", keyFailsAfter: null });
    const third = await scanAndWait(3);
    assert.equal(third.status, "failed");
    assert.match(third.error, /401/);

    // Everything a visitor can read, with its headers.
    const seen: [string, string][] = [];
    const read = async (path: string, init?: RequestInit) => {
      const res = await fetch(base + path, init);
      const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
      seen.push([
        `${init?.method ?? "GET"} ${path} (${res.status})`,
        `${headers}\n${await res.text()}`,
      ]);
    };
    const doc = await (await fetch(`${base}/openapi.json`)).json();
    for (const path of Object.keys(doc.paths)) {
      if (!("get" in doc.paths[path])) continue;
      for (const m of models) await read(path.replace("{model_id}", encodeURIComponent(m.id)));
    }
    for (const m of models) await read(`/models/${encodeURIComponent(m.id)}`);
    for (
      const path of [
        "/",
        "/runs",
        "/openapi.json",
        "/metrics",
        "/api/metrics",
        "/healthz",
        "/api/models?range=7d",
        "/api/models/nope%2Fnope",
        "/api/models?range=forever",
        "/no/such/page",
        "/static/nope.js",
      ]
    ) await read(path);
    await read("/api/scan", { method: "POST", headers: { Authorization: "Bearer wrong" } });
    await read("/api/scan", { method: "POST" });
    await read("/api/scan", {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: "x".repeat(10_000),
    });
    assert.ok(seen.length > 20);
    for (const [where, text] of seen) assertNoSecret(where, text);
    // The failed runs say why, without the key.
    assert.ok(seen.some(([, text]) => /refused the key/.test(text)), "the runs' errors are shown");

    // The database, byte for byte, while the server holds it open (WAL included) and after.
    const open = await dbFiles(dir);
    assert.ok(open.some(([name]) => name.endsWith(".db")));
    for (const [name, text] of open) assertNoSecret(name, text);
  } finally {
    const code = await server.stop();
    await fake.close();
    try {
      for (const [name, text] of await dbFiles(dir)) assertNoSecret(`${name} after shutdown`, text);
      // The log: every line the server wrote, from start to shutdown.
      const logs = server.logs();
      assert.match(logs, /scan \d+ completed/);
      assert.match(logs, /401/);
      assertNoSecret("the server's log", logs);
      assert.equal(code, 0, logs);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
