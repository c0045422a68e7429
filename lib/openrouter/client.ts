/**
 * The OpenRouter HTTP client: catalog, key info and one chat attempt.
 *
 * `listModels` and `getKey` throw (a CatalogError / KeyInfoError with the status kept);
 * `chat` never throws: every outcome, including timeouts and garbage, is a ChatReply.
 * No error, message or reply ever contains the API key.
 */
import { USER_AGENT } from "../version.ts";
import { type CatalogPageResult, parseCatalogPage } from "./catalog.ts";
import { applyJsonBody } from "./chat_json.ts";
import { emptyReply, pickHeaders } from "./chat_reply.ts";
import { buildChatBody } from "./chat_request.ts";
import { readChatStream } from "./chat_stream.ts";
import {
  CatalogError,
  describeError,
  KeyInfoError,
  type OpenRouterRequestError,
  parseErrorBody,
  type RequestFailureKind,
  scrubSecret,
  scrubText,
} from "./errors.ts";
import { parseKeyInfo } from "./key.ts";
import type { CatalogModel, ChatReply, ChatRequest, KeyInfo, OpenRouterError } from "./types.ts";

export interface OpenRouterClientOptions {
  /** e.g. `https://openrouter.ai/api/v1` (a trailing slash is fine). */
  baseUrl: string;
  apiKey: string | null;
  httpReferer?: string | null;
  xTitle?: string | null;
  fetch?: typeof fetch;
  /** Monotonic milliseconds for latency/TTFT; defaults to performance.now. */
  now?: () => number;
  /** Stop following `links.next` after this many catalog pages (default 50). */
  maxCatalogPages?: number;
  /** A chat stream silent this long after its first token ends as a timeout (chat_stall.ts). */
  stallMs?: number | null;
}

export interface OpenRouterClient {
  /** Every model in the catalog, normalised (not filtered). Throws CatalogError. */
  listModels(signal?: AbortSignal): Promise<CatalogModel[]>;
  /** GET /key. Throws KeyInfoError (`status` 401 when the key is refused). */
  getKey(signal?: AbortSignal): Promise<KeyInfo>;
  /** One chat attempt. Never throws. */
  chat(req: ChatRequest, signal?: AbortSignal): Promise<ChatReply>;
}

type ErrorCtor = new (
  message: string,
  opts: { kind: RequestFailureKind; status?: number | null; error?: OpenRouterError | null },
) => OpenRouterRequestError;

export function createOpenRouterClient(opts: OpenRouterClientOptions): OpenRouterClient {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const apiKey = opts.apiKey && opts.apiKey.trim() !== "" ? opts.apiKey.trim() : null;
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? (() => performance.now());
  const maxPages = opts.maxCatalogPages ?? 50;

  function headers(json: boolean): Headers {
    const h = new Headers({ "User-Agent": USER_AGENT, Accept: json ? "application/json" : "*/*" });
    if (apiKey) h.set("Authorization", `Bearer ${apiKey}`);
    if (opts.httpReferer) h.set("HTTP-Referer", opts.httpReferer);
    if (opts.xTitle) h.set("X-Title", opts.xTitle);
    return h;
  }

  /** A GET returning parsed JSON; every failure becomes an `ErrorClass` with a clean message. */
  async function getJson(
    url: string,
    what: string,
    ErrorClass: ErrorCtor,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const fail = (
      message: string,
      kind: RequestFailureKind,
      status: number | null = null,
      error: OpenRouterError | null = null,
    ) =>
      new ErrorClass(scrubText(`${what}: ${message}`, apiKey), {
        kind,
        status,
        error: scrubSecret(error, apiKey),
      });
    let res: Response;
    try {
      res = await doFetch(url, { headers: headers(true), signal });
    } catch (err) {
      if (signal?.aborted) throw fail(abortMessage(signal), "timeout");
      throw fail(`network error: ${describeError(err)}`, "network");
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw fail(abortMessage(signal), "timeout", res.status);
      throw fail(`network error reading the body: ${describeError(err)}`, "network", res.status);
    }
    let body: unknown = undefined;
    try {
      body = JSON.parse(text.trimStart());
    } catch {
      // handled below
    }
    if (!res.ok) {
      const error = parseErrorBody(body);
      const detail = error ? `: ${error.message}` : "";
      throw fail(`HTTP ${res.status}${detail}`, "http", res.status, error);
    }
    if (body === undefined) {
      throw fail(`HTTP ${res.status} with a body that is not JSON`, "malformed", res.status);
    }
    return body;
  }

  async function listModels(signal?: AbortSignal): Promise<CatalogModel[]> {
    const first = `${base}/models`;
    const origin = new URL(first).origin;
    const seenUrls = new Set<string>();
    const seenIds = new Set<string>();
    const models: CatalogModel[] = [];
    let url: string | null = first;
    for (let page = 0; url !== null; page++) {
      if (page >= maxPages) {
        throw new CatalogError(`GET /models: more than ${maxPages} pages; giving up`, {
          kind: "malformed",
        });
      }
      seenUrls.add(url);
      const body = await getJson(url, "GET /models", CatalogError, signal);
      const parsed: CatalogPageResult | null = parseCatalogPage(body);
      if (!parsed) {
        throw new CatalogError("GET /models: the body is not a model catalog (no `data` array)", {
          kind: "malformed",
          status: 200,
        });
      }
      for (const m of parsed.models) {
        if (!seenIds.has(m.id)) {
          seenIds.add(m.id);
          models.push(m);
        }
      }
      url = nextPageUrl(parsed.next, url, origin, seenUrls);
    }
    return models;
  }

  async function getKey(signal?: AbortSignal): Promise<KeyInfo> {
    const body = await getJson(`${base}/key`, "GET /key", KeyInfoError, signal);
    const info = parseKeyInfo(body);
    if (!info) {
      throw new KeyInfoError("GET /key: the body has no `data` object", {
        kind: "malformed",
        status: 200,
      });
    }
    return info;
  }

  async function chat(req: ChatRequest, signal?: AbortSignal): Promise<ChatReply> {
    const reply = emptyReply();
    const start = now();
    const elapsed = () => Math.max(0, now() - start);
    const h = headers(false);
    h.set("Content-Type", "application/json");
    h.set("Accept", "text/event-stream, application/json");
    try {
      let res: Response;
      try {
        res = await doFetch(`${base}/chat/completions`, {
          method: "POST",
          headers: h,
          body: JSON.stringify(buildChatBody(req)),
          signal,
        });
      } catch (err) {
        reply.failure = signal?.aborted
          ? { kind: "timeout", message: abortMessage(signal) }
          : { kind: "network", message: `network error: ${describeError(err)}` };
        return finish();
      }
      reply.http_status = res.status;
      reply.headers = pickHeaders(res.headers);
      const type = (res.headers.get("content-type") ?? "").toLowerCase();
      try {
        if (res.ok && type.includes("text/event-stream") && res.body) {
          await readChatStream(res.body, reply, elapsed, opts.stallMs ?? null);
        } else {
          applyJsonBody(reply, await res.text());
        }
      } catch (err) {
        reply.failure = signal?.aborted ? { kind: "timeout", message: abortMessage(signal) } : {
          kind: "network",
          message: `connection lost while reading the body: ${describeError(err)}`,
        };
      }
    } catch (err) {
      // Defensive: nothing above should throw, but chat() must never reject.
      reply.failure = {
        kind: "malformed",
        message: `unexpected client error: ${describeError(err)}`,
      };
    }
    return finish();

    function finish(): ChatReply {
      reply.latency_ms = elapsed();
      if (reply.ttft_ms !== null && reply.ttft_ms > reply.latency_ms) {
        reply.ttft_ms = reply.latency_ms;
      }
      return scrubSecret(reply, apiKey);
    }
  }

  return { listModels, getKey, chat };
}

/**
 * Resolves `links.next` against the current page. Only same-origin links are followed (the
 * request carries the API key); a repeated link ends pagination instead of looping.
 */
function nextPageUrl(
  next: string | null,
  current: string,
  origin: string,
  seen: Set<string>,
): string | null {
  if (next === null) return null;
  let url: URL;
  try {
    url = new URL(next, current);
  } catch {
    throw new CatalogError("GET /models: `links.next` is not a URL", {
      kind: "malformed",
      status: 200,
    });
  }
  if (url.origin !== origin) {
    throw new CatalogError(`GET /models: \`links.next\` points to another origin (${url.origin})`, {
      kind: "malformed",
      status: 200,
    });
  }
  return seen.has(url.href) ? null : url.href;
}

function abortMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof DOMException && reason.name === "TimeoutError") return "timed out";
  if (reason instanceof Error && reason.message) return `aborted: ${reason.message}`;
  return "aborted";
}
