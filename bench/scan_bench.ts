/**
 * Scan benchmark: the whole `deno task scan` command (a real process, Deno's start-up included,
 * a real SQLite file) against the fake OpenRouter served by another process on loopback.
 *
 *   deno task bench:scan                      # 1,000 models, zero latency, no rate limit, --concurrency 32
 *   deno task bench:scan --runs 3             # best and median of 3 (each on a fresh database)
 *   deno task bench:scan --endpoints-delay-ms 50  # a stats route as slow as a real one
 *   deno task bench:scan --paced 50 --rpm 20  # achieved requests per minute against a limit
 *   deno task bench:scan --learned            # 10 models, an account limit of 4 per 8 s,
 *                                             # concurrency 3: the account 429s provoked
 *
 * Prints checks/s, peak RSS (GNU time, when installed), the load average beside them (other
 * work on the machine slows the figure), and where the time went: start-up to the first chat
 * request, the probes (first to last chat request, as the fake saw them), and after the last
 * probe until the process ended (the last checks, closing the run, alerts, retention, endpoint
 * stats, exit). Asserts nothing.
 */
import { parseArgs } from "node:util";
import { MAIN, RUN_FLAGS } from "../tests/cli/run_cli.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    models: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "32" },
    runs: { type: "string", default: "1" },
    paced: { type: "string" },
    /** The fake's delay on GET …/endpoints (OpenRouter's stats route is not instant). */
    "endpoints-delay-ms": { type: "string", default: "0" },
    /** Print the scan's log (stderr) after each run. */
    logs: { type: "boolean", default: false },
    rpm: { type: "string", default: "20" },
    /** The learned-limit scenario (issue 15): prints the account 429s the scan provoked. */
    learned: { type: "boolean", default: false },
    /** --learned: each model's answer time (ms). */
    "model-delay-ms": { type: "string", default: "1000" },
  },
});
const paced = values.paced !== undefined;
const count = Number(paced ? values.paced : values.models);
const runs = paced ? 1 : Math.max(1, Number(values.runs));
const key = "sk-or-v1-bench";
const gnuTime = await exists("/usr/bin/time");
if (values.learned) {
  await learnedLimit();
  Deno.exit(0);
}

interface Run {
  seconds: number;
  rssMiB: number | null;
  startupS: number;
  probesS: number;
  afterS: number;
  chatAt: number[];
  logs: string;
}

const figures: Run[] = [];
for (let i = 0; i < runs; i++) {
  const run = await once();
  figures.push(run);
  if (values.logs) console.log(run.logs.trimEnd());
  const rate = paced
    ? `${(count / (run.seconds / 60)).toFixed(1)} checks/min`
    : `${(count / run.seconds).toFixed(0)} checks/s`;
  console.log(
    `run ${i + 1}: whole command ${run.seconds.toFixed(2)} s, ${rate}` +
      (run.rssMiB !== null ? `, peak RSS ${run.rssMiB.toFixed(0)} MiB` : "") +
      ` | start-up → first probe ${run.startupS.toFixed(2)} s, probes ${
        run.probesS.toFixed(2)
      } s, after the last probe ${run.afterS.toFixed(2)} s | load average ${loadAverage()}`,
  );
}

if (!paced && runs > 1) {
  const sorted = figures.map((f) => f.seconds).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `best ${(count / sorted[0]).toFixed(0)} checks/s, median ${(count / median).toFixed(0)} ` +
      `checks/s over ${runs} runs`,
  );
}
if (paced) {
  const times = figures[0].chatAt;
  let busiest = 0;
  for (const t of times) {
    busiest = Math.max(busiest, times.filter((u) => u >= t && u < t + 60_000).length);
  }
  const spanMin = (times.at(-1)! - times[0]) / 60_000;
  console.log(`limit: ${values.rpm} requests/min; busiest 60 s window: ${busiest} requests`);
  console.log(`${times.length} requests over ${spanMin.toFixed(2)} min from first to last`);
}

/**
 * `deno <args>` in `dir` with only the env a scan needs, pointed at the fake; under GNU time
 * (for its peak RSS) when `timed`.
 */
function scanCommand(
  dir: string,
  fakeUrl: string,
  args: string[],
  env: Record<string, string> = {},
  timed = false,
): Deno.Command {
  return new Deno.Command(timed ? "/usr/bin/time" : Deno.execPath(), {
    args: timed ? ["-v", Deno.execPath(), ...args] : args,
    cwd: dir,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      NO_COLOR: "1",
      OPENROUTER_API_KEY: key,
      OPENROUTER_BASE_URL: fakeUrl,
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  });
}

/** One scan command on a fresh database, against a fresh fake in its own process. */
async function once(): Promise<Run> {
  const fake = await startFakeProcess();
  const dir = await Deno.makeTempDir({ prefix: "scouter-bench-" });
  try {
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
    const command = scanCommand(dir, fake.url, scanArgs, {
      OPENROUTER_SCOUT_RPM: paced ? values.rpm! : "100000",
    }, gnuTime);
    const startedAt = Date.now();
    const started = performance.now();
    const out = await command.output();
    const seconds = (performance.now() - started) / 1000;
    const endedAt = startedAt + seconds * 1000;
    const stderr = new TextDecoder().decode(out.stderr);
    const stdout = new TextDecoder().decode(out.stdout);
    const chatAt = await fake.stop();
    if (out.code !== 0 || stdout.trim() === "") {
      console.error(`the scan exited ${out.code}:\n${stderr}`);
      Deno.exit(1);
    }
    const result = JSON.parse(stdout);
    const ok = result.results.filter((r: { ok: boolean }) => r.ok).length;
    if (ok !== count) console.error(`warning: ${ok} of ${count} checks ok (${result.status})`);
    const rss = stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1];
    const first = chatAt[0] ?? startedAt;
    const last = chatAt.at(-1) ?? first;
    return {
      seconds,
      rssMiB: rss ? Number(rss) / 1024 : null,
      startupS: (first - startedAt) / 1000,
      probesS: (last - first) / 1000,
      afterS: (endedAt - last) / 1000,
      chatAt,
      logs: stderr,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * The learned-limit scenario: 10 models, an account limit of 4 chat requests per 8 s (with
 * OpenRouter's X-RateLimit-* headers and `free-models-per-min` 429 body), `--concurrency 3` and
 * the default pacing (OPENROUTER_SCOUT_RPM 20, 0.3 s apart). Before the pacer learned the limit
 * from the first 429, it provoked 4 here (answers after 1 s; 11 on an independent fake); the
 * goal is at most 3. `--model-delay-ms` sets the answer time (default 1000).
 */
async function learnedLimit(): Promise<void> {
  const models = 10;
  const fake = await startFakeProcess({
    models,
    accountLimit: 4,
    accountWindowMs: 8_000,
    modelDelayMs: Number(values["model-delay-ms"]),
  });
  const dir = await Deno.makeTempDir({ prefix: "scouter-bench-" });
  try {
    const started = performance.now();
    const out = await scanCommand(dir, fake.url, [
      ...RUN_FLAGS,
      MAIN,
      "scan",
      "--json",
      "--concurrency",
      "3",
    ]).output();
    const seconds = (performance.now() - started) / 1000;
    const { chatAt, account429s } = await fake.stopWithCounts();
    const stdout = new TextDecoder().decode(out.stdout);
    if (stdout.trim() === "") {
      console.error(new TextDecoder().decode(out.stderr));
      Deno.exit(1);
    }
    const result = JSON.parse(stdout);
    const ok = result.results.filter((r: { ok: boolean }) => r.ok).length;
    if (values.logs) console.log(new TextDecoder().decode(out.stderr).trimEnd());
    console.log(
      `learned limit: ${ok}/${models} ok, run ${result.status}, ${chatAt.length} chat requests, ` +
        `${account429s} account 429s (goal ≤ 3), whole command ${seconds.toFixed(1)} s`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

interface FakeProcess {
  url: string;
  stop(): Promise<number[]>;
  stopWithCounts(): Promise<{ chatAt: number[]; account429s: number }>;
}

/** bench/fake_openrouter_process.ts: its URL, and a stop that returns its chat arrival times. */
async function startFakeProcess(
  o: { models?: number; accountLimit?: number; accountWindowMs?: number; modelDelayMs?: number } =
    {},
): Promise<FakeProcess> {
  const limits = o.accountLimit === undefined ? [] : [
    "--account-limit",
    String(o.accountLimit),
    "--account-window-ms",
    String(o.accountWindowMs ?? 60_000),
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./fake_openrouter_process.ts", import.meta.url).pathname,
      "--models",
      String(o.models ?? count),
      ...limits,
      "--model-delay-ms",
      String(o.modelDelayMs ?? 0),
      "--api-key",
      key,
      "--endpoints-delay-ms",
      values["endpoints-delay-ms"]!,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(lineSplitter());
  const reader = lines.getReader();
  const first = await reader.read();
  if (first.done) throw new Error("the fake OpenRouter process ended before it listened");
  const { url } = JSON.parse(first.value) as { url: string };
  const stopWithCounts = async () => {
    await child.stdin.close();
    const next = await reader.read();
    await child.status;
    if (next.done) return { chatAt: [], account429s: 0 };
    const body = JSON.parse(next.value) as { chat_at: number[]; account_429s: number };
    return { chatAt: body.chat_at, account429s: body.account_429s };
  };
  return {
    url,
    stopWithCounts,
    stop: async () => (await stopWithCounts()).chatAt,
  };
}

function lineSplitter(): TransformStream<string, string> {
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const p of parts) if (p.trim() !== "") controller.enqueue(p);
    },
    flush(controller) {
      if (buffer.trim() !== "") controller.enqueue(buffer);
    },
  });
}

function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
