import assert from "node:assert/strict";
import {
  badgeSvg,
  statusBadge,
  textWidth,
  unknownBadge,
  uptimeBadge,
} from "../../lib/metrics/badge.ts";
import { checkXml, unescapeXml } from "./xml.ts";

Deno.test("badges are well-formed SVG with the label and value as text", () => {
  for (
    const svg of [
      statusBadge("meta-llama/llama-3.3-70b-instruct:free", "healthy"),
      statusBadge("a/b:free", "no_data"),
      uptimeBadge("a/b:free uptime 7d", 99.25),
      uptimeBadge("a/b:free uptime 30d", null),
      unknownBadge("who/knows:free"),
    ]
  ) {
    const { root, elements } = checkXml(svg);
    assert.equal(root, "svg");
    assert.ok(elements.includes("title") && elements.includes("text"));
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="20"/);
  }
  const { texts } = checkXml(uptimeBadge("a/b:free uptime 7d", 99.25));
  assert.ok(texts.map(unescapeXml).includes("99.3 %"));
  assert.ok(checkXml(uptimeBadge("x", 100)).texts.includes("100 %"));
});

Deno.test("colours follow the value; hostile text is escaped", () => {
  assert.match(statusBadge("x", "down"), /fill="#d9412f"/);
  assert.match(statusBadge("x", "healthy"), /fill="#2e9e44"/);
  assert.match(uptimeBadge("x", 80), /fill="#e0701c"/);
  const evil = `<script>alert("x")</script>&\u0001`;
  const svg = badgeSvg(evil, evil, "#000");
  const { texts, elements } = checkXml(svg);
  assert.ok(!elements.includes("script"));
  assert.ok(texts.map(unescapeXml).includes(`<script>alert("x")</script>&`));
});

Deno.test("width grows with the text; long labels are cut", () => {
  assert.ok(textWidth("mmmm") > textWidth("iiii"));
  const long = statusBadge("x".repeat(500), "healthy");
  const width = Number(/width="(\d+)"/.exec(long)![1]);
  assert.ok(width < 600, `${width}`);
});
