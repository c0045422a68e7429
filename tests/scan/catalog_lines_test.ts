import assert from "node:assert/strict";
import { catalogLines, LISTED } from "../../lib/scan/catalog_lines.ts";
import { scanWorld } from "./helpers.ts";

const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}/m-${String(i).padStart(4, "0")}:free`);

Deno.test("the first sync of a database is one line, however many models", () => {
  assert.deepEqual(catalogLines({ added: ids("a", 1000), removed: [], returned: [] }, 1000), [
    "catalog: 1,000 free models",
  ]);
  assert.deepEqual(catalogLines({ added: ["a/b:free"], removed: [], returned: [] }, 1), [
    "catalog: 1 free model",
  ]);
});

Deno.test("a later sync names up to 10 ids per kind, then '… and N more'", () => {
  const lines = catalogLines({
    added: ids("new", 25),
    removed: ids("gone", 3),
    returned: ids("back", LISTED + 1),
  }, 1000);
  const added = lines.filter((l) => l.startsWith("new free model: "));
  assert.equal(added.length, LISTED);
  assert.ok(lines.includes("… and 15 more (new free model)"), lines.join("\n"));
  assert.equal(lines.filter((l) => l.startsWith("free model back: ")).length, LISTED);
  assert.ok(lines.includes("… and 1 more (free model back)"));
  assert.equal(lines.filter((l) => l.startsWith("free model gone: ")).length, 3);
  assert.equal(lines.length, LISTED + 1 + LISTED + 1 + 3);
  assert.deepEqual(catalogLines({ added: [], removed: [], returned: [] }, 1000), []);
});

Deno.test("a scan's log: one catalog line on a new database, the new ones listed on the next", async () => {
  const first = ids("a", 30).map((id) => ({ id }));
  await using w = await scanWorld(first);
  await w.scan({ maxModels: 1 });
  assert.deepEqual(w.logs.filter((l) => l.startsWith("catalog: ")), ["catalog: 30 free models"]);
  assert.ok(!w.logs.some((l) => l.startsWith("new free model")), w.logs.join("\n"));

  w.logs.length = 0;
  w.fake.setModels([...first, ...ids("b", 12).map((id) => ({ id }))]);
  await w.scan({ maxModels: 1 });
  assert.equal(w.logs.filter((l) => l.startsWith("new free model: ")).length, 10);
  assert.ok(w.logs.includes("… and 2 more (new free model)"), w.logs.join("\n"));
  assert.ok(!w.logs.some((l) => l.startsWith("catalog: ")));
});
