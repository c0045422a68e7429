/**
 * Tool calls in a chat reply: streamed `delta.tool_calls` fragments joined by their `index`
 * (the first fragment names the function, later ones append to `arguments`), or a whole
 * `message.tool_calls`. Nothing here throws on bad input; the arguments stay raw text.
 */
import { isRecord } from "./errors.ts";
import type { ChatReply, ChatToolCall } from "./types.ts";

/** More calls than this in one answer is garbage, not a tool call. */
const MAX_CALLS = 16;
/** Arguments longer than this are cut (a check's arguments are a few dozen characters). */
const MAX_ARGUMENT_CHARS = 64 * 1024;

/** Applies one streamed delta's `tool_calls` fragments. */
export function applyToolCallDeltas(reply: ChatReply, fragments: unknown): void {
  if (!Array.isArray(fragments)) return;
  for (const [position, f] of fragments.entries()) {
    if (!isRecord(f)) continue;
    const index = typeof f.index === "number" && Number.isInteger(f.index) ? f.index : position;
    if (index < 0 || index >= MAX_CALLS) continue;
    const calls = reply.tool_calls ??= [];
    while (calls.length <= index) calls.push({ id: null, name: "", arguments: "" });
    const call = calls[index];
    if (typeof f.id === "string" && f.id !== "" && call.id === null) call.id = f.id;
    const fn = isRecord(f.function) ? f.function : null;
    // Some providers repeat the name in every fragment; the first one counts.
    if (fn && typeof fn.name === "string" && call.name === "") call.name = fn.name;
    if (fn && typeof fn.arguments === "string") appendArguments(call, fn.arguments);
  }
}

/** Applies a whole message's `tool_calls` (non-streamed answers). */
export function applyMessageToolCalls(reply: ChatReply, calls: unknown): void {
  if (!Array.isArray(calls)) return;
  const out: ChatToolCall[] = [];
  for (const c of calls.slice(0, MAX_CALLS)) {
    if (!isRecord(c)) continue;
    const fn = isRecord(c.function) ? c.function : null;
    const args = fn?.arguments;
    out.push({
      id: typeof c.id === "string" ? c.id : null,
      name: typeof fn?.name === "string" ? fn.name : "",
      // Some providers send the arguments as an object instead of JSON text.
      arguments: typeof args === "string"
        ? args.slice(0, MAX_ARGUMENT_CHARS)
        : isRecord(args)
        ? JSON.stringify(args).slice(0, MAX_ARGUMENT_CHARS)
        : "",
    });
  }
  if (out.length > 0) reply.tool_calls = out;
}

function appendArguments(call: ChatToolCall, piece: string): void {
  if (call.arguments.length >= MAX_ARGUMENT_CHARS) return;
  call.arguments = (call.arguments + piece).slice(0, MAX_ARGUMENT_CHARS);
}
