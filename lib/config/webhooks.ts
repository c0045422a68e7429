/**
 * Webhook targets from OPENROUTER_SCOUT_WEBHOOK_URLS (comma-separated). Each URL's format is
 * chosen by a prefix (`discord+https://…`, `slack+…`, `ntfy+…`, `json+…`) or, without one, by
 * its host: discord.com / discordapp.com → Discord, hooks.slack.com → Slack, ntfy.sh (or a host
 * starting with `ntfy.`) → ntfy, anything else → generic JSON.
 *
 * The URLs are secrets (Discord and Slack webhook URLs embed their token): they are never logged
 * or stored. A target is named in logs by its label (`discord #1`) and in the database by `key`,
 * a hash of its URL.
 */

export const WEBHOOK_FORMATS = ["json", "discord", "slack", "ntfy"] as const;
export type WebhookFormat = typeof WEBHOOK_FORMATS[number];

export interface WebhookTarget {
  format: WebhookFormat;
  /** The URL to POST to (prefix removed). Secret. */
  url: string;
  /** For logs: the format and its position in the list, e.g. `slack #2`. */
  label: string;
  /** A SHA-256 hash of the URL (hex, 16 characters): how the outbox names the target. */
  key: string;
}

/** Splits a configured entry into its format and URL; null when it is not an http(s) URL. */
export function parseWebhookEntry(entry: string): { format: WebhookFormat; url: string } | null {
  const text = entry.trim();
  const prefixed = /^(json|discord|slack|ntfy)\+(https?:\/\/.*)$/i.exec(text);
  const raw = prefixed ? prefixed[2] : text;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (prefixed) return { format: prefixed[1].toLowerCase() as WebhookFormat, url: raw };
  return { format: formatOfUrl(url), url: raw };
}

function formatOfUrl(url: URL): WebhookFormat {
  const host = url.hostname.toLowerCase();
  if (
    (host === "discord.com" || host.endsWith(".discord.com") || host === "discordapp.com" ||
      host.endsWith(".discordapp.com")) && url.pathname.startsWith("/api/webhooks/")
  ) return "discord";
  if (host === "hooks.slack.com") return "slack";
  if (host === "ntfy.sh" || host.startsWith("ntfy.")) return "ntfy";
  return "json";
}

/** The targets of a configured list; throws on an entry that is not a URL (config validates). */
export async function webhookTargets(entries: readonly string[]): Promise<WebhookTarget[]> {
  const out: WebhookTarget[] = [];
  const counts = new Map<WebhookFormat, number>();
  for (const [i, entry] of entries.entries()) {
    const parsed = parseWebhookEntry(entry);
    if (!parsed) throw new Error(`webhook entry ${i + 1} is not an http(s) URL`);
    const n = (counts.get(parsed.format) ?? 0) + 1;
    counts.set(parsed.format, n);
    out.push({ ...parsed, label: `${parsed.format} #${n}`, key: await hashKey(parsed.url) });
  }
  return out;
}

async function hashKey(url: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(url));
  return [...new Uint8Array(digest)].slice(0, 8).map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}
