/**
 * One alert event as each webhook medium wants it. Titles and messages hold model names and
 * ids from OpenRouter (untrusted), so each format escapes what its medium would interpret:
 * Discord gets no mentions and escaped markdown, Slack its three control characters, ntfy
 * header values that are one line of ASCII.
 */
import type { AlertEvent, AlertKind } from "../domain/alerts.ts";
import type { WebhookFormat } from "../config/webhooks.ts";

export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

const COLOR: Record<AlertKind, number> = {
  model_down: 0xdc2626,
  model_recovered: 0x16a34a,
  model_added: 0x0284c7,
  model_removed: 0x64748b,
  model_expiring: 0xd97706,
  capability_lost: 0xc026d3,
};

const NTFY_TAGS: Record<AlertKind, string> = {
  model_down: "red_circle",
  model_recovered: "white_check_mark",
  model_added: "new",
  model_removed: "wastebasket",
  model_expiring: "hourglass",
  capability_lost: "wrench",
};

/** The event as the generic JSON format sends it (also the shape of GET /api/events). */
export function eventJson(e: AlertEvent) {
  return {
    id: e.id,
    kind: e.kind,
    model_id: e.model_id,
    model_name: e.details.model_name ?? e.model_id,
    at: new Date(e.at).toISOString(),
    run_id: e.run_id,
    title: e.title,
    message: e.message,
    details: e.details,
  };
}

export function formatWebhook(format: WebhookFormat, e: AlertEvent): WebhookRequest {
  const json = { "Content-Type": "application/json" };
  switch (format) {
    case "json":
      return { body: JSON.stringify({ source: "scouter", event: eventJson(e) }), headers: json };
    case "discord":
      return {
        body: JSON.stringify({
          username: "Scouter",
          // Nothing in an alert may ping anyone (@everyone in a model name, say).
          allowed_mentions: { parse: [] },
          embeds: [{
            title: clip(discordEscape(e.title), 256),
            description: clip(discordEscape(e.message), 4000),
            color: COLOR[e.kind],
            timestamp: new Date(e.at).toISOString(),
            footer: { text: clip(`${e.kind} · ${e.model_id}`, 2000) },
          }],
        }),
        headers: json,
      };
    case "slack":
      return {
        body: JSON.stringify({
          text: `*${slackEscape(e.title)}*\n${slackEscape(e.message)}`,
          mrkdwn: true,
        }),
        headers: json,
      };
    case "ntfy":
      return {
        body: e.message,
        headers: {
          "Content-Type": "text/plain; charset=utf-8",
          Title: headerValue(e.title),
          Tags: NTFY_TAGS[e.kind],
          Priority: e.kind === "model_down" ? "4" : "3",
        },
      };
  }
}

/** Markdown and mention syntax made literal. */
export function discordEscape(s: string): string {
  return s.replace(/[\\*_~`|>\[\]()#@<]/g, (c) => (c === "@" ? "@\u200b" : `\\${c}`));
}

/** Slack's mrkdwn control characters. */
export function slackEscape(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * A header value: one line; non-ASCII text as an RFC 2047 encoded word (ntfy decodes it), so
 * fetch never refuses the header.
 */
export function headerValue(s: string): string {
  // deno-lint-ignore no-control-regex
  const line = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, 250);
  if (/^[\u0020-\u007e]*$/.test(line)) return line;
  const bytes = new TextEncoder().encode(line);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return `=?UTF-8?B?${btoa(bin)}?=`;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
