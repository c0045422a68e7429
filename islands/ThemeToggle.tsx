/**
 * Dark-mode toggle. The default theme is the system's (CSS `prefers-color-scheme`, see
 * static/styles.css); a click stores an explicit choice and puts `class="dark"` or
 * `class="light"` on <html>.
 *
 * No flash of the wrong theme, without an inline script (the CSP forbids them): the choice is
 * kept in localStorage AND mirrored in a cookie, which the server reads to render
 * `<html class="dark">` up front (`themeFromCookie` in lib/web/layout.tsx). Where the cookie
 * is missing (first visit after clearing cookies), the page shows the system theme until this
 * island hydrates and re-applies the stored choice: a brief flash, only in that case.
 */
import { useEffect } from "preact/hooks";

export type Theme = "light" | "dark";
export const THEME_STORAGE_KEY = "scouter-theme";
export const THEME_COOKIE = "scouter-theme";

export interface ThemeToggleProps {
  /** Extra classes for the button. */
  class?: string;
}

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null; // storage disabled (private mode, sandboxed frame)
  }
}

function currentTheme(): Theme {
  const classes = document.documentElement.classList;
  if (classes.contains("dark")) return "dark";
  if (classes.contains("light")) return "light";
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function applyTheme(theme: Theme): void {
  const classes = document.documentElement.classList;
  classes.toggle("dark", theme === "dark");
  classes.toggle("light", theme === "light");
}

function storeTheme(theme: Theme): void {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // storage disabled: the cookie below still carries the choice
  }
  document.cookie = `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

export default function ThemeToggle(props: ThemeToggleProps) {
  useEffect(() => {
    const theme = storedTheme();
    if (theme) {
      applyTheme(theme);
      storeTheme(theme); // refresh the cookie so the next page renders with it
    }
  }, []);

  const toggle = () => {
    const next: Theme = currentTheme() === "dark" ? "light" : "dark";
    applyTheme(next);
    storeTheme(next);
  };

  // Both icons are rendered; CSS shows the right one, so server and client markup agree
  // whatever the theme.
  return (
    <button
      type="button"
      onClick={toggle}
      aria-label="Toggle dark mode"
      title="Toggle dark mode"
      class={`inline-flex size-9 items-center justify-center rounded-md text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800 ${
        props.class ?? ""
      }`}
    >
      <svg
        class="size-5 dark:hidden"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        aria-hidden="true"
      >
        <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
      </svg>
      <svg
        class="hidden size-5 dark:block"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        aria-hidden="true"
      >
        <circle cx="12" cy="12" r="4" />
        <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
      </svg>
    </button>
  );
}
