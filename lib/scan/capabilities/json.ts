/**
 * The `json` check: a strict `json_schema` response format (an object with `country` and
 * `capital`, both strings, nothing else). Passes when the content parses as JSON matching the
 * schema (checked with zod); prose, a fenced block or a mismatch fail, with the first path.
 */
import { z } from "zod";
import type { CatalogModel, ChatReply, ChatRequest } from "../../openrouter/types.ts";
import { buildChatRequest } from "../request.ts";
import { fail, type Judgement, pass } from "./judgement.ts";

export const JSON_PROMPT =
  "What is the capital of France? Answer as JSON with the fields country and capital.";

const SCHEMA_NAME = "capital_city";

const JSON_SCHEMA = {
  type: "object",
  properties: {
    country: { type: "string" },
    capital: { type: "string" },
  },
  required: ["country", "capital"],
  additionalProperties: false,
};

/** The same schema, as the judge checks it. */
const Answer = z.strictObject({ country: z.string(), capital: z.string() });

export function jsonRequest(model: CatalogModel, stream = true): ChatRequest {
  return {
    ...buildChatRequest(model, JSON_PROMPT),
    response_format: {
      type: "json_schema",
      json_schema: { name: SCHEMA_NAME, strict: true, schema: JSON_SCHEMA },
    },
    stream,
  };
}

export function judgeJson(reply: ChatReply): Judgement {
  const text = reply.text.trim();
  if (text === "") return fail("no content");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(text.startsWith("```") ? "not JSON (a Markdown code block)" : "not JSON");
  }
  const parsed = Answer.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    const keys = issue.code === "unrecognized_keys" ? ` (extra ${issue.keys.join(", ")})` : "";
    return fail(`does not match the schema: ${path}${keys}`);
  }
  return pass();
}
