/**
 * The `tools` check: one function tool, `get_weather(city: string)`, and a question about the
 * weather in a named city. Passes when the answer calls that function with JSON arguments
 * holding the city; prose, another function, arguments that are not JSON, or no city fail.
 */
import type { CatalogModel, ChatReply, ChatRequest } from "../../openrouter/types.ts";
import { buildChatRequest } from "../request.ts";
import { fail, type Judgement, pass, snippet } from "./judgement.ts";

export const TOOL_NAME = "get_weather";
export const TOOL_CITY = "Lisbon";

export const TOOLS_PROMPT =
  `What is the weather in ${TOOL_CITY} right now? Use the ${TOOL_NAME} tool.`;

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: TOOL_NAME,
    description: "Get the current weather in a city.",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "The city's name, e.g. Paris" } },
      required: ["city"],
      additionalProperties: false,
    },
  },
};

export function toolsRequest(model: CatalogModel, stream = true): ChatRequest {
  return {
    ...buildChatRequest(model, TOOLS_PROMPT),
    tools: [WEATHER_TOOL],
    tool_choice: "auto",
    stream,
  };
}

export function judgeTools(reply: ChatReply): Judgement {
  const calls = reply.tool_calls ?? [];
  if (calls.length === 0) {
    return fail(reply.text.trim() === "" ? "no tool call and no text" : "answered in prose");
  }
  const call = calls.find((c) => c.name === TOOL_NAME);
  if (!call) return fail(`called another function: ${snippet(calls[0].name, 40)}`);
  let args: unknown;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    return fail("arguments not JSON");
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return fail("arguments not a JSON object");
  }
  const city = (args as Record<string, unknown>).city;
  if (typeof city !== "string" || !city.toLowerCase().includes(TOOL_CITY.toLowerCase())) {
    return fail("city missing from arguments");
  }
  return pass();
}
