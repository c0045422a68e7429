/** The response cache's parts: the LRU, encoding negotiation, the throttled version, wrk's report. */
import assert from "node:assert/strict";
import { createLru } from "../../lib/web/lru.ts";
import { chooseEncoding } from "../../lib/web/encoding.ts";
import { everyInterval } from "../../lib/web/version_reader.ts";
import { etagMatches } from "../../lib/web/response_cache.ts";
import { cacheKindOf } from "../../lib/web/cache_policy.ts";
import { parseWrk } from "../../bench/wrk.ts";

Deno.test("lru: capped in entries and bytes, least recently used out first", () => {
  const lru = createLru<{ n: number }>({ maxEntries: 3, maxBytes: 100, size: (v) => v.n });
  lru.set("a", { n: 10 });
  lru.set("b", { n: 10 });
  lru.set("c", { n: 10 });
  assert.ok(lru.get("a")); // a is now the newest
  lru.set("d", { n: 10 });
  assert.equal(lru.get("b"), undefined, "b was the least recently used");
  assert.equal(lru.entries, 3);
  lru.set("e", { n: 90 });
  assert.ok(lru.bytes <= 100, `${lru.bytes} bytes`);
  assert.ok(lru.get("e"));
  lru.set("huge", { n: 101 });
  assert.equal(lru.get("huge"), undefined, "larger than the whole cap: not kept");
  const grown = lru.get("e")!;
  grown.n = 200;
  lru.resized("e");
  assert.equal(lru.get("e"), undefined, "grown past the cap: dropped");
  assert.ok(lru.bytes <= 100);
});

Deno.test("chooseEncoding: br first, then gzip, honouring q=0 and *", () => {
  assert.equal(chooseEncoding(undefined), "identity");
  assert.equal(chooseEncoding(""), "identity");
  assert.equal(chooseEncoding("gzip, deflate, br"), "br");
  assert.equal(chooseEncoding("gzip, deflate"), "gzip");
  assert.equal(chooseEncoding("br;q=0, gzip;q=0.5"), "gzip");
  assert.equal(chooseEncoding("BR"), "br");
  assert.equal(chooseEncoding("*"), "br");
  assert.equal(chooseEncoding("*;q=0"), "identity");
  assert.equal(chooseEncoding("identity"), "identity");
});

Deno.test("everyInterval: one read per interval, shared by callers in flight", async () => {
  let now = 0;
  let reads = 0;
  let value = "v1";
  const version = everyInterval(
    () => {
      reads++;
      return Promise.resolve(value);
    },
    () => now,
    1000,
  );
  assert.deepEqual(await Promise.all([version(), version(), version()]), ["v1", "v1", "v1"]);
  assert.equal(reads, 1);
  value = "v2";
  now = 999;
  assert.equal(await version(), "v1", "within the interval");
  now = 1000;
  assert.equal(await version(), "v2");
  assert.equal(reads, 2);

  let fail = true;
  const flaky = everyInterval(
    () => fail ? Promise.reject(new Error("busy")) : Promise.resolve("ok"),
    () => now,
  );
  await assert.rejects(flaky(), /busy/);
  fail = false;
  assert.equal(await flaky(), "ok", "a failed read is not kept");
});

Deno.test("etagMatches: weak comparison, lists and *", () => {
  assert.ok(etagMatches('W/"abc"', 'W/"abc"'));
  assert.ok(etagMatches('"abc"', 'W/"abc"'));
  assert.ok(etagMatches('"x", W/"abc"', 'W/"abc"'));
  assert.ok(etagMatches("*", 'W/"abc"'));
  assert.ok(!etagMatches('"abd"', 'W/"abc"'));
  assert.ok(!etagMatches(undefined, 'W/"abc"'));
});

Deno.test("cacheKindOf: pages and the read API; never healthz, scan, exports, metrics, badges", () => {
  assert.equal(cacheKindOf("/"), "page");
  assert.equal(cacheKindOf("/models/a/b:free"), "page");
  assert.equal(cacheKindOf("/runs"), "page");
  assert.equal(cacheKindOf("/api/summary"), "api");
  assert.equal(cacheKindOf("/api/models/a/b:free/history"), "api");
  for (const path of ["/healthz", "/api/scan", "/api/export/checks", "/metrics", "/feed.xml"]) {
    assert.equal(cacheKindOf(path), null, path);
  }
  assert.equal(cacheKindOf("/badge/a/b:free/status.svg"), null);
  assert.equal(cacheKindOf("/static/build/x.js"), null);
});

Deno.test("parseWrk: figures from wrk --latency", () => {
  const out = `Running 15s test @ http://127.0.0.1:8000/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.12ms    3.01ms 247.55ms   95.00%
    Req/Sec     8.10k   500.00    9.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    4.60ms
     90%   20.82ms
     99%    1.50s
  120843 requests in 15.06s, 1.20GB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   8023.45
Transfer/sec:     81.20MB
`;
  assert.deepEqual(parseWrk(out), {
    requests: 120843,
    requestsPerSecond: 8023,
    errors: 5,
    non2xx: 7,
    p50: 0.81,
    p75: 4.6,
    p90: 20.82,
    p99: 1500,
    max: 247.55,
  });
  assert.throws(() => parseWrk("nonsense"), /wrk: no/);
});
