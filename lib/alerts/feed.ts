/**
 * The alert events as an Atom feed (RFC 4287), for feed readers: /feed.xml. Everything in it is
 * escaped, and characters XML 1.0 forbids (control characters, lone surrogates) are dropped,
 * so a hostile model name can neither break the document nor inject markup.
 */
import type { AlertEvent } from "../domain/alerts.ts";
import { modelHref } from "../../islands/format.ts";
import { SCOUTER_VERSION } from "../version.ts";
import { xmlText } from "../xml.ts";

export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";

/** The feed of `events` (newest first), with links under `origin` (e.g. `https://host`). */
export function atomFeed(events: readonly AlertEvent[], origin: string, now: number): string {
  const updated = new Date(events[0]?.at ?? now).toISOString();
  const self = `${origin}/feed.xml`;
  const entries = events.map((e) => {
    const link = `${origin}${modelHref(e.model_id)}`;
    return [
      "  <entry>",
      `    <id>${xmlText(`${self}#alert-${e.id}`)}</id>`,
      `    <title>${xmlText(e.title)}</title>`,
      `    <updated>${new Date(e.at).toISOString()}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(link)}"/>`,
      `    <category term="${xmlText(e.kind)}"/>`,
      `    <summary type="text">${xmlText(e.message)}</summary>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(self)}</id>`,
    "  <title>Scouter: OpenRouter free models</title>",
    "  <subtitle>Free models going down, coming back, joining and leaving the catalog</subtitle>",
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(`${origin}/`)}"/>`,
    `  <generator version="${SCOUTER_VERSION}">Scouter</generator>`,
    "  <author><name>Scouter</name></author>",
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
