/**
 * Copy to the clipboard, for the copy-id buttons. `navigator.clipboard` needs a secure context
 * (https or localhost); a dashboard on http://192.168.… falls back to a hidden textarea and
 * `execCommand("copy")`, and as a last resort shows the text selected in a prompt.
 */
import { useEffect, useRef, useState } from "preact/hooks";

export async function copyText(text: string): Promise<boolean> {
  try {
    if (globalThis.isSecureContext && navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // permission denied or not focused: try the old way
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "fixed -left-[9999px] top-0 opacity-0";
  document.body.append(area);
  try {
    area.select();
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** False in the server render and the hydration pass, true once mounted in a browser. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export interface CopyIdButtonProps {
  text: string;
  /** What is copied, for the accessible name: "Copy model id". */
  label?: string;
  class?: string;
}

/**
 * A small copy button. Rendered `hidden` on the server (it cannot work without JavaScript) and
 * shown once hydrated, so server and first client render agree.
 */
export function CopyIdButton({ text, label = "Copy model id", class: cls }: CopyIdButtonProps) {
  const hydrated = useHydrated();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onClick = async () => {
    const ok = await copyText(text);
    // Last resort: the text, selected, in a dialog the user can copy from.
    if (!ok) globalThis.prompt?.("Copy this:", text);
    setState(ok ? "copied" : "failed");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 1500);
  };

  return (
    <button
      type="button"
      hidden={!hydrated}
      onClick={onClick}
      title={`${label}: ${text}`}
      aria-label={label}
      class={`inline-flex shrink-0 items-center gap-1 rounded px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100 ${
        cls ?? ""
      }`}
    >
      <svg
        class="size-3.5"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        aria-hidden="true"
      >
        <rect x="9" y="9" width="12" height="12" rx="2" />
        <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
      </svg>
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
      </span>
    </button>
  );
}
