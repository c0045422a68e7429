import assert from "node:assert/strict";
import { csvField, toCsv } from "../../routes/api/export.ts";
import { apiError, feature, H, json, NOW } from "./feature_helpers.ts";

const ID = "a/b:free";
const SEED = {
  models: [{ id: ID }],
  checks: [
    { model_id: ID, checked_at: NOW - 10 * 86_400_000, status: "ok" as const },
    { model_id: ID, checked_at: NOW - 2 * H, status: "ok" as const, latency_ms: 812, ttft_ms: 640 },
    {
      model_id: ID,
      checked_at: NOW - H,
      status: "unavailable" as const,
      http_status: 502,
      error: '=HYPERLINK("http://evil","click"), said "the provider"',
    },
  ],
};

Deno.test("CSV: the last 7 days by default, quoted, formulas defused, a safe file name", async () => {
  await using f = await feature(SEED);
  const res = await f.get(`/api/export/checks?model_id=${encodeURIComponent(ID)}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.equal(
    res.headers.get("content-disposition"),
    'attachment; filename="scouter-a_b_free-2026-11-20-2026-11-27.csv"',
  );
  const lines = (await res.text()).split("\r\n");
  assert.equal(
    lines[0],
    "checked_at,model_id,run_id,status,ok,http_status,latency_ms,ttft_ms,attempts," +
      "output_tokens,tokens_per_second,provider,error,skip_reason",
  );
  assert.equal(lines.length, 4, "two checks, and the final CRLF");
  assert.match(
    lines[1],
    new RegExp(`^${new Date(NOW - 2 * H).toISOString()},a/b:free,\\d+,ok,true,200,812,640,1,`),
  );
  assert.ok(
    lines[2].includes(`"'=HYPERLINK(""http://evil"",""click""), said ""the provider"""`),
    lines[2],
  );
});

Deno.test("JSON and explicit ranges; bad ranges and unknown models refused", async () => {
  await using f = await feature(SEED);
  const q = `model_id=${encodeURIComponent(ID)}`;
  const all = await json<{ status: string; ok: boolean }[]>(
    await f.get(`/api/export/checks?${q}&format=json&from=2026-11-01&to=2026-11-28`),
  );
  assert.deepEqual(all.map((c) => [c.status, c.ok]), [["ok", true], ["ok", true], [
    "unavailable",
    false,
  ]]);
  const hour = await json<unknown[]>(
    await f.get(`/api/export/checks?${q}&format=json&from=${new Date(NOW - H).toISOString()}`),
  );
  assert.equal(hour.length, 1);
  const empty = await f.get(`/api/export/checks?${q}&from=2020-01-01&to=2020-01-02`);
  assert.equal((await empty.text()).split("\r\n").length, 2, "the header only");

  await apiError(await f.get("/api/export/checks"), 400, /^model_id:/);
  await apiError(
    await f.get(`/api/export/checks?${q}&from=yesterday`),
    400,
    /^from: must be an ISO 8601 date/,
  );
  await apiError(
    await f.get(`/api/export/checks?${q}&from=2026-11-27&to=2026-11-20`),
    400,
    /from: must be before to/,
  );
  await apiError(await f.get(`/api/export/checks?${q}&from=2024-01-01`), 400, /at most 400 days/);
  await apiError(
    await f.get(`/api/export/checks?${q}&format=xml`),
    400,
    /^format: must be csv or json/,
  );
  await apiError(await f.get("/api/export/checks?model_id=no/one:free"), 404, /^unknown model/);
});

Deno.test("csv fields", () => {
  assert.equal(csvField(null), "");
  assert.equal(csvField(12.5), "12.5");
  assert.equal(csvField(false), "false");
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField("line\nbreak"), '"line\nbreak"');
  assert.equal(csvField("+1"), "'+1");
  assert.equal(csvField("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(toCsv([]).endsWith("skip_reason\r\n"), true);
});
