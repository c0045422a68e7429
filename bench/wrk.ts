/**
 * Running wrk (Debian's, /usr/bin/wrk) and reading its `--latency` report.
 *
 *   const r = await runWrk({ url, connections: 50, seconds: 15, headers: { "Accept-Encoding": "br" } });
 */
export interface WrkOptions {
  url: string;
  connections: number;
  seconds: number;
  threads?: number;
  headers?: Record<string, string>;
}

export interface WrkFigures {
  requests: number;
  requestsPerSecond: number;
  /** Socket errors (connect, read, write, timeout) added up. */
  errors: number;
  /** Responses neither 2xx nor 3xx. */
  non2xx: number;
  p50: number;
  p75: number;
  p90: number;
  p99: number;
  max: number;
}

/** Whether wrk can be run here. */
export async function hasWrk(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
    return true;
  } catch {
    return false;
  }
}

export async function runWrk(opts: WrkOptions): Promise<WrkFigures> {
  const args = [
    `-t${opts.threads ?? 1}`,
    `-c${opts.connections}`,
    `-d${opts.seconds}s`,
    "--latency",
    ...Object.entries(opts.headers ?? {}).flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
    opts.url,
  ];
  const out = await new Deno.Command("wrk", { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`wrk failed: ${new TextDecoder().decode(out.stderr).trim() || text}`);
  }
  return parseWrk(text);
}

/** "812.34us", "1.20ms", "2.00s", "1.5m" → ms. */
function durationMs(s: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(s.trim());
  if (!m) throw new Error(`wrk: cannot read the duration ${JSON.stringify(s)}`);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as "us" | "ms" | "s" | "m"];
  return Math.round(Number(m[1]) * scale * 100) / 100;
}

export function parseWrk(text: string): WrkFigures {
  const match = (re: RegExp, what: string) => {
    const m = re.exec(text);
    if (!m) throw new Error(`wrk: no ${what} in its output:\n${text}`);
    return m;
  };
  const pct = (p: string) => durationMs(match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m"), `${p}%`)[1]);
  const latency = match(/^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)/m, "latency line");
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    requests: Number(match(/(\d+) requests in/, "request count")[1]),
    requestsPerSecond: Math.round(Number(match(/Requests\/sec:\s+([\d.]+)/, "Requests/sec")[1])),
    errors: socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0),
    p50: pct("50"),
    p75: pct("75"),
    p90: pct("90"),
    p99: pct("99"),
    max: durationMs(latency[3]),
  };
}
