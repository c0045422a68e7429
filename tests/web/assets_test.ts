import assert from "node:assert/strict";
import { join } from "node:path";
import { Hono } from "hono";
import { staticHandler } from "../../lib/web/assets.ts";

/** A throwaway static/ with a build/ inside and a secret beside it. */
async function fixture() {
  const root = await Deno.makeTempDir({ prefix: "scouter-assets-" });
  const staticDir = join(root, "static");
  const buildDir = join(staticDir, "build");
  await Deno.mkdir(buildDir, { recursive: true });
  await Deno.writeTextFile(join(root, "secret.json"), '{"secret":true}');
  await Deno.writeTextFile(join(staticDir, "robots.txt"), "User-agent: *\n");
  await Deno.writeTextFile(join(staticDir, ".hidden.txt"), "no");
  await Deno.writeTextFile(join(staticDir, "notes.md"), "unknown type");
  await Deno.writeTextFile(join(buildDir, "boot-ABCD1234.js"), "console.log(1)");
  await Deno.writeFile(join(buildDir, "boot-ABCD1234.js.br"), new Uint8Array([1, 2, 3]));
  await Deno.writeFile(join(buildDir, "boot-ABCD1234.js.gz"), new Uint8Array([4, 5]));
  await Deno.writeTextFile(join(buildDir, "styles-0a1b2c3d.css"), "a{}");
  await Deno.writeTextFile(join(buildDir, "manifest.json"), "{}");
  const app = new Hono();
  app.get("/static/*", staticHandler({ staticDir, buildDir }));
  return { app, root };
}

Deno.test("hashed build files are immutable, with the right type", async () => {
  const { app, root } = await fixture();
  try {
    const js = await app.request("/static/build/boot-ABCD1234.js");
    assert.equal(js.status, 200);
    assert.equal(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(js.headers.get("x-content-type-options"), "nosniff");
    assert.equal(js.headers.get("content-encoding"), null);
    assert.equal(await js.text(), "console.log(1)");

    const css = await app.request("/static/build/styles-0a1b2c3d.css");
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    assert.match(css.headers.get("cache-control")!, /immutable/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("precompressed variants are served when accepted", async () => {
  const { app, root } = await fixture();
  try {
    const br = await app.request("/static/build/boot-ABCD1234.js", {
      headers: { "Accept-Encoding": "gzip, deflate, br" },
    });
    assert.equal(br.headers.get("content-encoding"), "br");
    assert.equal(br.headers.get("vary"), "Accept-Encoding");
    assert.deepEqual(new Uint8Array(await br.arrayBuffer()), new Uint8Array([1, 2, 3]));
    const gz = await app.request("/static/build/boot-ABCD1234.js", {
      headers: { "Accept-Encoding": "gzip" },
    });
    assert.equal(gz.headers.get("content-encoding"), "gzip");
    assert.equal(gz.headers.get("content-length"), "2");
    await gz.body?.cancel();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("other static files get a short cache; unknown files and types are 404", async () => {
  const { app, root } = await fixture();
  try {
    const robots = await app.request("/static/robots.txt");
    assert.equal(robots.status, 200);
    assert.equal(robots.headers.get("cache-control"), "public, max-age=300");
    assert.equal(robots.headers.get("content-type"), "text/plain; charset=utf-8");
    await robots.body?.cancel();
    const manifest = await app.request("/static/build/manifest.json");
    assert.equal(manifest.headers.get("cache-control"), "public, max-age=300");
    await manifest.body?.cancel();
    for (const path of ["/static/missing.txt", "/static/notes.md", "/static/build/"]) {
      const res = await app.request(path);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
    const head = await app.request("/static/robots.txt", { method: "HEAD" });
    assert.equal(head.status, 200);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directory traversal and dot-files are 404, encoded or not", async () => {
  const { app, root } = await fixture();
  try {
    const attempts = [
      "/static/../secret.json",
      "/static/../deno.json",
      "/static/%2e%2e/secret.json",
      "/static/%2E%2E/secret.json",
      "/static/..%2fsecret.json",
      "/static/..%2Fsecret.json",
      "/static/%2e%2e%2fsecret.json",
      "/static/build/..%2f..%2fsecret.json",
      "/static/build/%2e%2e/%2e%2e/secret.json",
      "/static/..%5csecret.json",
      "/static/%252e%252e/secret.json",
      "/static/.%2e/secret.json",
      "/static//secret.json",
      "/static/%00robots.txt",
      "/static/robots.txt%00",
      "/static/%zz",
      "/static/.hidden.txt",
      "/static/%2ehidden.txt",
    ];
    for (const path of attempts) {
      const res = await app.request(path);
      const body = await res.text();
      assert.equal(res.status, 404, `${path} → ${res.status}`);
      assert.ok(!body.includes("secret"), path);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("defaults resolve from the module, not the working directory", async () => {
  const app = new Hono();
  app.get("/static/*", staticHandler());
  const cwd = Deno.cwd();
  const elsewhere = await Deno.makeTempDir();
  Deno.chdir(elsewhere);
  try {
    const res = await app.request("/static/styles.css");
    assert.equal(res.status, 200);
    assert.match(await res.text(), /@import "tailwindcss"/);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(elsewhere);
  }
});
