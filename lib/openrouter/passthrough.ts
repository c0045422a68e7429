/**
 * POST /chat/completions with a body the caller built (the router's client request, model
 * chosen): the status, headers and body stream come back untouched for the router to read.
 * Never throws; the API key goes upstream only and never into a result.
 */
import { USER_AGENT } from "../version.ts";
import { describeError, scrubText } from "./errors.ts";

export interface PassthroughOptions {
  baseUrl: string;
  apiKey: string;
  httpReferer?: string | null;
  xTitle?: string | null;
  fetch?: typeof fetch;
}

export type PassthroughResult =
  | { kind: "response"; status: number; headers: Headers; body: ReadableStream<Uint8Array> | null }
  | { kind: "network" | "timeout"; message: string };

export type Passthrough = (
  body: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<PassthroughResult>;

export function createPassthrough(opts: PassthroughOptions): Passthrough {
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const doFetch = opts.fetch ?? fetch;
  const headers = new Headers({
    "User-Agent": USER_AGENT,
    "Content-Type": "application/json",
    Accept: "text/event-stream, application/json",
    Authorization: `Bearer ${opts.apiKey.trim()}`,
  });
  if (opts.httpReferer) headers.set("HTTP-Referer", opts.httpReferer);
  if (opts.xTitle) headers.set("X-Title", opts.xTitle);

  return async (body, signal) => {
    try {
      const res = await doFetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal,
      });
      return { kind: "response", status: res.status, headers: res.headers, body: res.body };
    } catch (err) {
      if (signal.aborted) return { kind: "timeout", message: "timed out" };
      return {
        kind: "network",
        message: scrubText(`network error: ${describeError(err)}`, opts.apiKey),
      };
    }
  };
}
