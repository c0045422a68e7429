/** Sending a page: the whole document, the visitor's theme, and no caching of live data. */
import type { Context } from "hono";
import { h, type VNode } from "preact";
import { type PageOptions, renderPage, themeFromCookie } from "../../lib/web/layout.tsx";

/** Served by lib/web/assets.ts from static/. */
export const FAVICON = "/static/favicon.svg";

export function sendPage(
  c: Context,
  page: VNode,
  options: Omit<PageOptions, "theme">,
  status: 200 | 404 = 200,
): Response {
  const html = renderPage(page, {
    ...options,
    theme: themeFromCookie(c.req.header("cookie")),
    head: h("link", { rel: "icon", type: "image/svg+xml", href: FAVICON }),
  });
  c.header("Cache-Control", "no-cache");
  return c.html(html, status);
}
