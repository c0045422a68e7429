/**
 * The HTML document around every page. `renderPage` renders the page first, learns whether it
 * used any island, and only then writes the <head>: a page without islands ships no
 * JavaScript at all; one with islands gets a single external module script (no inline
 * script anywhere, for the CSP).
 */
import type { ComponentChildren, VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { type Theme, THEME_COOKIE } from "../../islands/ThemeToggle.tsx";
import { collectIslands, type IslandName } from "./islands.tsx";
import { activeManifest, BUILD_URL, type Manifest } from "./manifest.ts";

export type { Theme };
export { THEME_COOKIE };

export interface PageOptions {
  title: string;
  description?: string;
  /** The visitor's explicit theme choice (see themeFromCookie); omit to follow the system. */
  theme?: Theme;
  /** Extra <head> content (server-rendered only, e.g. <link rel="alternate">). */
  head?: ComponentChildren;
  /** Classes for <body>. */
  bodyClass?: string;
}

/** The theme a visitor chose, from the request's Cookie header. */
export function themeFromCookie(cookieHeader: string | null | undefined): Theme | undefined {
  for (const pair of (cookieHeader ?? "").split(";")) {
    const [key, value] = pair.split("=", 2).map((s) => s.trim());
    if (key === THEME_COOKIE && (value === "light" || value === "dark")) return value;
  }
  return undefined;
}

const DEFAULT_BODY_CLASS =
  "min-h-screen bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100";

/** The whole document, `<!doctype html>` included, for `page`. */
export function renderPage(page: VNode, options: PageOptions): string {
  const { value: body, used } = collectIslands(() => renderToString(page));
  const manifest = activeManifest();
  const head = renderToString(<Head options={options} manifest={manifest} islands={used} />);
  const htmlClass = options.theme ? ` class="${options.theme}"` : "";
  const bodyClass = escapeAttr(options.bodyClass ?? DEFAULT_BODY_CLASS);
  return `<!doctype html><html lang="en"${htmlClass}>${head}<body class="${bodyClass}">${body}</body></html>`;
}

function escapeAttr(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function Head(
  { options, manifest, islands }: {
    options: PageOptions;
    manifest: Manifest | null;
    islands: ReadonlySet<IslandName>;
  },
) {
  const scripts = manifest && islands.size > 0;
  const preload = scripts
    ? new Set([
      ...manifest.preload.boot,
      ...[...islands].flatMap((name) => manifest.preload.islands[name] ?? []),
    ])
    : new Set<string>();
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>{options.title}</title>
      {options.description && <meta name="description" content={options.description} />}
      {manifest && <link rel="stylesheet" href={BUILD_URL + manifest.css} />}
      {scripts && <script type="module" src={BUILD_URL + manifest.boot} />}
      {[...preload].map((file) => <link key={file} rel="modulepreload" href={BUILD_URL + file} />)}
      {options.head}
    </head>
  );
}
