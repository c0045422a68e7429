import assert from "node:assert/strict";
import { createLog, printable } from "../lib/log.ts";

Deno.test("printable: control characters, separators and bidi overrides are shown escaped", () => {
  assert.equal(printable("plain text, ünïcödé, 漢字 ✓"), "plain text, ünïcödé, 漢字 ✓");
  assert.equal(printable("a\nb\r\tc"), "a\\u000ab\\u000d\\u0009c");
  assert.equal(printable("\x1b[31mred\x1b[0m"), "\\u001b[31mred\\u001b[0m");
  assert.equal(printable("x\u0085y\u2028z\u202eevil\u2066"), "x\\u0085y\\u2028z\\u202eevil\\u2066");
  assert.equal(printable("\x7f\0"), "\\u007f\\u0000");
});

Deno.test("createLog: one line per message, secrets redacted before anything is shown", () => {
  const lines: string[] = [];
  const log = createLog(["sk-secret-value"], (line) => lines.push(line));
  log("new free model: evil/\n2026-01-01T00:00:00.000Z forged line:free");
  log("key sk-secret-value\x1b]0;title\x07");
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => !l.includes("\n") && !l.includes("\x1b")));
  assert.match(lines[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z new free model: evil\/\\u000a2026/);
  assert.match(lines[1], /key \[redacted\]\\u001b\]0;title\\u0007$/);
});
