/**
 * Docker cannot run here, so the container files are checked for what must hold in them and
 * cannot drift from the code: the image's command has exactly the start task's permissions,
 * the compose files parse and wire what the README promises, and every setting they name is
 * one Scouter reads.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { ENV_NAMES } from "../../lib/config/settings.ts";
import { ensureAssets } from "../../lib/web/build.ts";
import { START_PERMISSIONS, startServer } from "../cli/server_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const read = (file: string) => Deno.readTextFile(`${ROOT}${file}`);

/** Dockerfile instructions, continuation lines joined, comments dropped. */
async function dockerfile(): Promise<{ op: string; args: string }[]> {
  const text = (await read("Dockerfile")).replace(/\\\n/g, " ");
  return text.split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

type Service = Record<string, unknown> & {
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
};

async function compose(file: string): Promise<Record<string, Service>> {
  return (await composeDoc(file)).services;
}

async function composeDoc(
  file: string,
): Promise<{ services: Record<string, Service> } & Record<string, unknown>> {
  const doc = parse(await read(file));
  assert.ok(doc.services, `${file} has services`);
  return doc;
}

Deno.test("Dockerfile: pinned Debian-based Deno, non-root, results volume, health check", async () => {
  const steps = await dockerfile();
  const from = steps.filter((s) => s.op === "FROM");
  assert.equal(from.length, 1);
  const tag = /^denoland\/deno:(\d+\.\d+\.\d+)$/.exec(from[0].args)?.[1];
  assert.ok(tag, `an exact, glibc-based tag (not alpine): ${from[0].args}`);
  const ci = /DENO_VERSION=(\S+)/.exec(await read(".ci/run"))?.[1];
  assert.equal(tag, ci, "the image's Deno is the one CI tests with");

  const user = steps.findLastIndex((s) => s.op === "USER");
  assert.equal(steps[user]?.args, "deno");
  assert.ok(user < steps.findIndex((s) => s.op === "CMD"), "the server runs as `deno`");
  const runs = steps.filter((s) => s.op === "RUN").map((s) => s.args).join(" && ");
  assert.match(runs, /deno install --frozen/, "dependencies cached at build time");
  assert.match(runs, /deno task build/, "assets built at build time");
  assert.deepEqual(steps.filter((s) => s.op === "VOLUME").map((s) => s.args), [
    '["/app/results"]',
  ]);
  assert.ok(steps.some((s) => s.op === "EXPOSE" && s.args === "8000"));
  const health = steps.find((s) => s.op === "HEALTHCHECK")?.args ?? "";
  assert.match(health, /\/healthz/);
  assert.match(health, /CMD \[/, "exec form: no shell needed");
});

Deno.test("Dockerfile: the command is the start task's, permissions included", async () => {
  const cmd = JSON.parse((await dockerfile()).find((s) => s.op === "CMD")!.args) as string[];
  assert.deepEqual(cmd.slice(0, 2), ["deno", "run"]);
  assert.deepEqual(cmd.slice(-2), ["main.ts", "serve"]);
  assert.deepEqual(cmd.filter((a) => a.startsWith("--allow-")), START_PERMISSIONS);
  assert.ok(cmd.includes("--cached-only"), "nothing fetched at run time");
});

Deno.test(".dockerignore keeps secrets, databases and build output out of the image", async () => {
  const lines = (await read(".dockerignore")).split("\n").map((l) => l.trim());
  for (const entry of [".env", "node_modules", "results", "static/build", "*.db", ".git"]) {
    assert.ok(lines.includes(entry), entry);
  }
});

Deno.test("compose files: dev on port 8000; prod behind Caddy with TLS and limits", async () => {
  const dev = await compose("compose.yaml");
  assert.deepEqual(dev.scouter.ports, ["8000:8000"]);
  assert.ok(dev.scouter.volumes?.some((v) => v.endsWith(":/app/results")));
  assert.equal(dev.scouter.env_file, ".env");

  const doc = await composeDoc("compose.prod.yaml");
  const prod = doc.services;
  const app = prod.scouter;
  assert.equal(app.ports, undefined, "only the proxy is reachable from outside");
  assert.ok(app.volumes?.some((v) => v.endsWith(":/app/results")));
  assert.equal(app.read_only, true);
  assert.equal(app.restart, "unless-stopped");
  const limits = (app.deploy as { resources: { limits: Record<string, string> } }).resources
    .limits;
  assert.ok(limits.memory && limits.cpus);

  const proxy = prod.caddy;
  assert.match(String(proxy.image), /^caddy:\d+\.\d+\.\d+/, "a pinned Caddy");
  assert.deepEqual(proxy.ports, ["80:80", "443:443", "443:443/udp"]);
  assert.deepEqual(proxy.configs, [{ source: "caddyfile", target: "/etc/caddy/Caddyfile" }]);
  const caddyfile = (doc.configs as Record<string, { content: string }>).caddyfile.content;
  assert.match(caddyfile, /^\$\{SCOUTER_DOMAIN:\?[^}]*\} \{$/m, "the site is the domain");
  assert.match(caddyfile, /reverse_proxy scouter:8000/);
  assert.match(caddyfile, /Strict-Transport-Security/);
  assert.deepEqual(proxy.depends_on, { scouter: { condition: "service_healthy" } });
  assert.ok(proxy.volumes?.some((v) => v.endsWith(":/data")), "certificates survive restarts");

  for (const service of [dev.scouter, app]) {
    for (const name of Object.keys(service.environment ?? {})) {
      assert.ok(ENV_NAMES.includes(name), `${name} is a setting Scouter reads`);
    }
  }
});

Deno.test("Dockerfile: the health check command answers 0 for a live server, 1 for none", async () => {
  const health = (await dockerfile()).find((s) => s.op === "HEALTHCHECK")!.args;
  const command = JSON.parse(health.slice(health.indexOf("CMD [") + 4)) as string[];
  assert.equal(command[0], "deno");
  await ensureAssets();
  const dir = await Deno.makeTempDir({ prefix: "scouter-health-" });
  const check = async (port: string) =>
    (await new Deno.Command(Deno.execPath(), {
      args: command.slice(1),
      cwd: dir,
      env: { OPENROUTER_SCOUT_WEB_PORT: port },
      stdout: "null",
      stderr: "null",
    }).output()).code;
  const server = await startServer({ entry: "main.ts", args: ["serve"], cwd: dir, env: {} });
  const port = new URL(server.base).port;
  try {
    assert.equal(await check(port), 0);
  } finally {
    await server.stop();
  }
  assert.equal(await check(port), 1, "nothing listening");
  await Deno.remove(dir, { recursive: true });
});
