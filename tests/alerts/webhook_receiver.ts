/**
 * A webhook receiver on loopback for the alert tests: records every request and answers as
 * scripted (a status per request, or "hang" until released or closed).
 */
export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export type Answer = number | "hang" | { status: number; headers: Record<string, string> };

export interface Receiver {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  requests: ReceivedRequest[];
  /** Answers every hanging request with 200. */
  release(): void;
  /** Resolves once `n` requests arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export function startReceiver(script: (n: number) => Answer = () => 200): Receiver {
  const requests: ReceivedRequest[] = [];
  const hanging: (() => void)[] = [];
  const closing = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => headers[k] = v);
    const n = requests.length;
    requests.push({ path: new URL(req.url).pathname, headers, body: await req.text() });
    const answer = script(n);
    if (answer === "hang") {
      await new Promise<void>((resolve) => {
        hanging.push(resolve);
        closing.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      return new Response("late", { status: 200 });
    }
    if (typeof answer === "number") return new Response("", { status: answer });
    return new Response("", answer);
  });
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    requests,
    release() {
      for (const r of hanging.splice(0)) r();
    },
    async waitFor(n, ms = 5_000) {
      const deadline = Date.now() + ms;
      while (requests.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${requests.length} of ${n} requests`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      closing.abort();
      await server.shutdown();
    },
  };
}
