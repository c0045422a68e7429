import assert from "node:assert/strict";
import { answerMatches, expectedAnswer } from "../../lib/scan/answer.ts";
import { backoffMs } from "../../lib/scan/backoff.ts";

Deno.test("the expected text comes from the prompt", () => {
  assert.equal(expectedAnswer("Respond with the exact text: OK"), "OK");
  assert.equal(expectedAnswer('Reply with the exact text: "pong"'), "pong");
  assert.equal(expectedAnswer("Say hello"), null);
});

Deno.test("answers match trimmed, case- and punctuation-insensitively", () => {
  for (
    const good of ["OK", " ok ", "Ok.", "OK!", "**OK**", "`OK`", '"OK"', "<think>hmm</think>OK"]
  ) {
    assert.ok(answerMatches(good, "OK"), good);
  }
  for (const bad of ["", "No", "OK OK", "Okay", "I cannot do that", "<think>OK</think>"]) {
    assert.ok(!answerMatches(bad, "OK"), bad);
  }
  assert.ok(answerMatches("anything", null));
  assert.ok(!answerMatches("  ", null));
});

Deno.test("backoff doubles, is capped and jittered between half and all of the step", () => {
  assert.equal(backoffMs(1, () => 1, 1000), 1000);
  assert.equal(backoffMs(2, () => 1, 1000), 2000);
  assert.equal(backoffMs(3, () => 0, 1000), 2000);
  assert.equal(backoffMs(20, () => 1, 1000, 30_000), 30_000);
});
