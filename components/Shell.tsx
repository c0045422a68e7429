/**
 * The frame of every page: the header (name, navigation, theme toggle), the main column and
 * a footer. `toggle={false}` leaves the ThemeToggle island out, for pages that must ship no
 * JavaScript (the 404 page); the theme then follows the system and the stored cookie.
 */
import type { ComponentChildren } from "preact";
import { Island } from "../lib/web/islands.tsx";
import { SCOUTER_VERSION } from "../lib/version.ts";

export type NavKey = "dashboard" | "runs" | "router";

const NAV: { key: NavKey | "api"; href: string; label: string }[] = [
  { key: "dashboard", href: "/", label: "Dashboard" },
  { key: "runs", href: "/runs", label: "Runs" },
  { key: "router", href: "/router", label: "Router" },
  { key: "api", href: "/openapi.json", label: "API" },
];

export interface ShellProps {
  current?: NavKey;
  toggle?: boolean;
  children: ComponentChildren;
}

export function Shell({ current, toggle = true, children }: ShellProps) {
  return (
    <>
      <a
        href="#main"
        class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <header class="border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900">
        <div class="mx-auto flex max-w-7xl items-center gap-x-3 px-4 py-3 sm:gap-x-6">
          <a href="/" class="flex items-center gap-2 text-lg font-semibold tracking-tight">
            <Logo />
            {/* The name only from 420 px: at phone width it and four links overflow. */}
            <span class="sr-only min-[420px]:not-sr-only">Scouter</span>
          </a>
          <nav aria-label="Main" class="flex items-center gap-0.5 text-sm sm:gap-1">
            {NAV.map((item) => (
              <a
                key={item.key}
                href={item.href}
                aria-current={item.key === current ? "page" : undefined}
                class={`rounded-md px-2 py-1.5 sm:px-2.5 hover:bg-slate-200 dark:hover:bg-slate-800 ${
                  item.key === current
                    ? "bg-slate-200 font-medium text-slate-900 dark:bg-slate-800 dark:text-slate-100"
                    : "text-slate-600 dark:text-slate-300"
                }`}
              >
                {item.label}
              </a>
            ))}
          </nav>
          {toggle && (
            <div class="ml-auto">
              <Island name="ThemeToggle" props={{}} />
            </div>
          )}
        </div>
      </header>
      <main id="main" class="mx-auto max-w-7xl space-y-8 px-4 py-6">{children}</main>
      <footer class="mx-auto max-w-7xl px-4 pb-8 text-xs text-slate-500 dark:text-slate-400">
        Scouter {SCOUTER_VERSION}{" "}
        · health of OpenRouter's free models, measured by real chat completions
      </footer>
    </>
  );
}

function Logo() {
  return (
    <svg
      class="size-6 text-emerald-600 dark:text-emerald-400"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      aria-hidden="true"
    >
      <circle cx="12" cy="12" r="9" />
      <path d="M12 12l5-5M12 3v2M21 12h-2M12 21v-2M3 12h2" />
    </svg>
  );
}
