/** The API's one error shape, `{"error": "…"}`, and the messages that name what was wrong. */
import type { Context } from "hono";
import type { z } from "@hono/zod-openapi";

export interface ErrorBody {
  error: string;
}

/** "limit: must be a whole number from 1 to 5000"; the first issue of each parameter. */
export function describeIssues(error: z.ZodError): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const issue of error.issues) {
    const name = issue.path.map(String).join(".") || "request";
    if (seen.has(name)) continue;
    seen.add(name);
    parts.push(`${name}: ${issue.message}`);
  }
  return parts.join("; ") || "bad request";
}

/**
 * The OpenAPIHono `defaultHook`: a failed validation answers 400 with the parameter named,
 * instead of the library's default (the whole zod error object).
 */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError },
  c: Context,
): Response | undefined {
  if (!result.success) return c.json({ error: describeIssues(result.error) }, 400);
  return undefined;
}
