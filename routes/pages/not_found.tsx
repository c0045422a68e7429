/** The HTML 404 page (no islands: it ships no JavaScript). */
import type { Context } from "hono";
import { Shell } from "../../components/Shell.tsx";
import { sendPage } from "./render.ts";

export function notFoundPage(c: Context, message = "There is no page at this address."): Response {
  const page = (
    <Shell toggle={false}>
      <div class="space-y-3 py-12 text-center">
        <p class="text-5xl font-semibold text-slate-300 dark:text-slate-700">404</p>
        <h1 class="text-2xl font-semibold">Not found</h1>
        <p class="text-slate-600 dark:text-slate-400">{message}</p>
        <p>
          <a href="/" class="text-sky-700 hover:underline dark:text-sky-400">
            Back to the dashboard
          </a>
        </p>
      </div>
    </Shell>
  );
  return sendPage(c, page, { title: "Not found · Scouter" }, 404);
}
