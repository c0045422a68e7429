/**
 * Small SVG badges in the familiar two-part style (a grey label, a coloured value), for READMEs:
 * a model's status and its uptime over a window. Widths are estimated from character classes
 * (no font metrics on the server); everything in the text is XML-escaped.
 */
import { formatUptime } from "../../islands/format.ts";
import type { Health } from "../stats/types.ts";
import { xmlText } from "../xml.ts";

const COLORS = {
  green: "#2e9e44",
  lime: "#6aa51a",
  yellow: "#c49b06",
  orange: "#e0701c",
  red: "#d9412f",
  grey: "#8a8f98",
} as const;

/** Approximate width in px of `text` in 11 px Verdana-like type. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    if ("il.,:;|!'ijt ".includes(ch)) w += 3.6;
    else if ("mwMW@%".includes(ch)) w += 10;
    else if (/[A-Z]/.test(ch)) w += 7.6;
    else w += 6.6;
  }
  return Math.ceil(w);
}

export function badgeSvg(label: string, value: string, color: string): string {
  const l = label.length > 64 ? `${label.slice(0, 63)}…` : label;
  const lw = textWidth(l) + 12;
  const vw = textWidth(value) + 12;
  const w = lw + vw;
  const title = xmlText(`${l}: ${value}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" ` +
    `aria-label="${title}"><title>${title}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" ` +
    `stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/>` +
    `<rect x="${lw}" width="${vw}" height="20" fill="${color}"/>` +
    `<rect width="${w}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" ` +
    `font-size="11">` +
    `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${xmlText(l)}</text>` +
    `<text x="${lw / 2}" y="14">${xmlText(l)}</text>` +
    `<text x="${lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">${xmlText(value)}</text>` +
    `<text x="${lw + vw / 2}" y="14">${xmlText(value)}</text></g></svg>`;
}

const HEALTH_BADGE: Record<Health, { text: string; color: string }> = {
  healthy: { text: "healthy", color: COLORS.green },
  degraded: { text: "degraded", color: COLORS.yellow },
  down: { text: "down", color: COLORS.red },
  no_data: { text: "no data", color: COLORS.grey },
};

export function statusBadge(label: string, health: Health): string {
  const h = HEALTH_BADGE[health];
  return badgeSvg(label, h.text, h.color);
}

export function uptimeBadge(label: string, uptime: number | null): string {
  if (uptime === null) return badgeSvg(label, "no data", COLORS.grey);
  const color = uptime >= 99
    ? COLORS.green
    : uptime >= 95
    ? COLORS.lime
    : uptime >= 90
    ? COLORS.yellow
    : uptime >= 75
    ? COLORS.orange
    : COLORS.red;
  return badgeSvg(label, formatUptime(uptime), color);
}

export function unknownBadge(label: string): string {
  return badgeSvg(label, "unknown model", COLORS.grey);
}
