/**
 * The capability judges on replies parsed both ways: an SSE stream (tool-call fragments joined)
 * and a whole JSON body. Each verdict and its detail.
 */
import assert from "node:assert/strict";
import { parseChatStreamText } from "../../../lib/openrouter/chat_stream.ts";
import { applyJsonBody } from "../../../lib/openrouter/chat_json.ts";
import { emptyReply } from "../../../lib/openrouter/chat_reply.ts";
import type { ChatReply } from "../../../lib/openrouter/types.ts";
import { judgeTools } from "../../../lib/scan/capabilities/tools.ts";
import { judgeJson } from "../../../lib/scan/capabilities/json.ts";
import { judgeVision, visionImage } from "../../../lib/scan/capabilities/vision.ts";
import { crc32, solidPng } from "../../../lib/scan/capabilities/png.ts";

/** An SSE reply whose deltas are `deltas`. */
function streamed(deltas: Record<string, unknown>[], finish = "stop"): ChatReply {
  const lines = deltas.map((d) =>
    `data: ${JSON.stringify({ choices: [{ index: 0, delta: d, finish_reason: null }] })}\n\n`
  );
  lines.push(
    `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`,
    "data: [DONE]\n\n",
  );
  const r = emptyReply();
  r.http_status = 200;
  return parseChatStreamText(lines.join(""), r);
}

/** A whole JSON reply carrying `message`. */
function whole(message: Record<string, unknown>): ChatReply {
  const r = emptyReply();
  r.http_status = 200;
  applyJsonBody(
    r,
    JSON.stringify({ choices: [{ index: 0, message, finish_reason: "stop" }] }),
  );
  return r;
}

function streamedCall(name: string, args: string): ChatReply {
  const third = Math.ceil(args.length / 3);
  return streamed([
    {
      role: "assistant",
      tool_calls: [{ index: 0, id: "c1", type: "function", function: { name, arguments: "" } }],
    },
    ...[0, 1, 2].map((i) => ({
      tool_calls: [{ index: 0, function: { arguments: args.slice(i * third, (i + 1) * third) } }],
    })),
  ], "tool_calls");
}

function wholeCall(name: string, args: string): ChatReply {
  return whole({
    role: "assistant",
    content: null,
    tool_calls: [{ id: "c1", type: "function", function: { name, arguments: args } }],
  });
}

const TOOL_CASES: [string, string, string, boolean, string | null][] = [
  ["a correct call", "get_weather", '{"city":"Lisbon"}', true, null],
  ["a correct call, city with country", "get_weather", '{"city":"Lisbon, Portugal"}', true, null],
  ["broken arguments", "get_weather", '{"city": "Lis', false, "arguments not JSON"],
  ["another function", "search_web", '{"q":"x"}', false, 'called another function: "search_web"'],
  ["no city", "get_weather", '{"location":"Lisbon"}', false, "city missing from arguments"],
  ["arguments an array", "get_weather", '["Lisbon"]', false, "arguments not a JSON object"],
];

for (const [what, name, args, verified, detail] of TOOL_CASES) {
  Deno.test(`tools: ${what}, streamed and whole`, () => {
    for (const reply of [streamedCall(name, args), wholeCall(name, args)]) {
      assert.equal(reply.tool_calls?.[0].arguments, args, "fragments joined");
      assert.deepEqual(judgeTools(reply), { verified, detail });
    }
  });
}

Deno.test("tools: prose instead of a call, streamed and whole", () => {
  const text = "It is sunny in Lisbon.";
  for (const reply of [streamed([{ content: text }]), whole({ content: text })]) {
    assert.deepEqual(judgeTools(reply), { verified: false, detail: "answered in prose" });
  }
  assert.deepEqual(judgeTools(streamed([])), {
    verified: false,
    detail: "no tool call and no text",
  });
});

Deno.test("tools: arguments sent as an object (some providers) still count", () => {
  const reply = whole({
    tool_calls: [{
      id: "c",
      type: "function",
      function: { name: "get_weather", arguments: { city: "Lisbon" } },
    }],
  });
  assert.equal(judgeTools(reply).verified, true);
});

Deno.test("tools: a hostile function name is quoted and cut in the detail", () => {
  const reply = wholeCall("<script>" + "x".repeat(200), "{}");
  const d = judgeTools(reply).detail ?? "";
  assert.ok(d.length < 80, d);
  assert.ok(d.startsWith('called another function: "<script>'));
});

const JSON_CASES: [string, string, boolean, string | null][] = [
  ["matches", '{"country":"France","capital":"Paris"}', true, null],
  ["matches, whitespace around", ' \n{"country":"France","capital":"Paris"}\n', true, null],
  ["prose", "The capital of France is Paris.", false, "not JSON"],
  [
    "a fenced block",
    '```json\n{"country":"France","capital":"Paris"}\n```',
    false,
    "not JSON (a Markdown code block)",
  ],
  ["a wrong type", '{"country":"France","capital":1}', false, "does not match the schema: capital"],
  ["a missing field", '{"country":"France"}', false, "does not match the schema: capital"],
  [
    "an extra field",
    '{"country":"France","capital":"Paris","x":1}',
    false,
    "does not match the schema: (root) (extra x)",
  ],
  ["not an object", "[1,2]", false, "does not match the schema: (root)"],
  ["empty", "", false, "no content"],
];

for (const [what, content, verified, detail] of JSON_CASES) {
  Deno.test(`json: ${what}, streamed and whole`, () => {
    for (const reply of [streamed([{ content }]), whole({ content })]) {
      assert.deepEqual(judgeJson(reply), { verified, detail });
    }
  });
}

Deno.test("vision: names the colour or not", () => {
  assert.deepEqual(judgeVision(streamed([{ content: "Red." }])), { verified: true, detail: null });
  assert.deepEqual(judgeVision(whole({ content: "<think>hmm</think>The image is RED" })), {
    verified: true,
    detail: null,
  });
  assert.deepEqual(judgeVision(whole({ content: "Blue" })), {
    verified: false,
    detail: 'did not name the colour (answered "Blue")',
  });
  assert.deepEqual(judgeVision(whole({ content: "Reddish-brown mostly" })).verified, false);
  assert.deepEqual(judgeVision(whole({ content: "" })), { verified: false, detail: "no answer" });
});

Deno.test("the vision image is a valid 8×8 red PNG data URL", () => {
  const png = solidPng([255, 0, 0]);
  assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // IHDR: width 8, height 8, 8-bit RGB; its CRC matches.
  const view = new DataView(png.buffer);
  assert.equal(view.getUint32(16), 8);
  assert.equal(view.getUint32(20), 8);
  assert.equal(png[24], 8);
  assert.equal(png[25], 2);
  assert.equal(view.getUint32(29), crc32(png.slice(12, 29)));
  assert.ok(png.length < 400, `${png.length} bytes`);
  const url = visionImage();
  assert.ok(url.startsWith("data:image/png;base64,"));
  assert.ok(url.length < 600);
});

Deno.test("the PNG decodes to red pixels (inflate of the stored blocks)", async () => {
  const png = solidPng([255, 0, 0], 4);
  // IDAT: after the 8-byte signature and the 25-byte IHDR chunk.
  const view = new DataView(png.buffer);
  const len = view.getUint32(33);
  const zlib = png.slice(41, 41 + len);
  const raw = new Uint8Array(
    await new Response(new Blob([zlib]).stream().pipeThrough(new DecompressionStream("deflate")))
      .arrayBuffer(),
  );
  assert.equal(raw.length, 4 * (1 + 4 * 3));
  assert.deepEqual([...raw.slice(0, 4)], [0, 255, 0, 0]);
});
