/**
 * Scan benchmark: the whole `scan` command (a real process, a real SQLite file) against the
 * fake OpenRouter on loopback.
 *
 *   deno task bench:scan                    # 1,000 models, zero latency, no rate limit
 *   deno task bench:scan --paced 50 --rpm 20  # achieved requests per minute against a limit
 *
 * Prints figures; asserts nothing. Peak memory comes from GNU time when it is installed.
 */
import { parseArgs } from "node:util";
import { startFakeOpenRouter } from "../tests/fake_openrouter.ts";
import { MAIN, RUN_FLAGS } from "../tests/cli/run_cli.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    models: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "16" },
    paced: { type: "string" },
    rpm: { type: "string", default: "20" },
  },
});
const paced = values.paced !== undefined;
const count = Number(paced ? values.paced : values.models);
const key = "sk-or-v1-bench";
const fake = await startFakeOpenRouter({
  models: Array.from({ length: count }, (_, i) => ({ id: `bench/model-${i}:free` })),
  apiKey: key,
});
const dir = await Deno.makeTempDir({ prefix: "scouter-bench-" });
const gnuTime = await exists("/usr/bin/time");
const scanArgs = [
  ...RUN_FLAGS,
  MAIN,
  "scan",
  "--json",
  "--concurrency",
  paced ? "2" : values.concurrency!,
  "--request-delay-seconds",
  paced ? "0.3" : "0",
  "--max-retries",
  "0",
];
const command = gnuTime
  ? new Deno.Command("/usr/bin/time", {
    args: ["-v", Deno.execPath(), ...scanArgs],
    cwd: dir,
    env: envFor(),
    stdout: "piped",
    stderr: "piped",
  })
  : new Deno.Command(Deno.execPath(), {
    args: scanArgs,
    cwd: dir,
    env: envFor(),
    stdout: "piped",
    stderr: "piped",
  });

const started = performance.now();
const out = await command.output();
const seconds = (performance.now() - started) / 1000;
const stderr = new TextDecoder().decode(out.stderr);
if (out.code !== 0 && out.stdout.length === 0) {
  console.error(stderr);
  Deno.exit(1);
}
const result = JSON.parse(new TextDecoder().decode(out.stdout));
const okCount = result.results.filter((r: { ok: boolean }) => r.ok).length;
const rss = stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1];

console.log(
  `models: ${count}, ok: ${okCount}, exit code: ${out.code}, run status: ${result.status}`,
);
const rate = paced
  ? `${(count / (seconds / 60)).toFixed(1)} checks/min`
  : `${(count / seconds).toFixed(0)} checks/s`;
console.log(`whole command: ${seconds.toFixed(2)} s, ${rate}`);
if (rss) console.log(`peak memory (RSS): ${(Number(rss) / 1024).toFixed(0)} MiB`);
if (paced) {
  const times = fake.chatRequests().map((r) => r.at);
  let busiest = 0;
  for (const t of times) {
    busiest = Math.max(
      busiest,
      times.filter((u) => u >= t && u < t + 60_000).length,
    );
  }
  const spanMin = (times.at(-1)! - times[0]) / 60_000;
  console.log(`limit: ${values.rpm} requests/min; busiest 60 s window: ${busiest} requests`);
  console.log(`${times.length} requests over ${spanMin.toFixed(2)} min from first to last`);
}
await fake.close();
await Deno.remove(dir, { recursive: true });

function envFor(): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "",
    NO_COLOR: "1",
    OPENROUTER_API_KEY: key,
    OPENROUTER_BASE_URL: fake.url,
    OPENROUTER_SCOUT_RPM: paced ? values.rpm! : "100000",
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
