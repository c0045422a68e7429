import assert from "node:assert/strict";
import {
  discordEscape,
  eventJson,
  formatWebhook,
  headerValue,
  slackEscape,
} from "../../lib/alerts/format.ts";
import { parseWebhookEntry, webhookTargets } from "../../lib/config/webhooks.ts";
import type { AlertEvent } from "../../lib/domain/alerts.ts";

const EVENT: AlertEvent = {
  id: 7,
  kind: "model_down",
  model_id: "evil/<b>@everyone</b>:free",
  at: Date.UTC(2026, 10, 27, 10),
  run_id: 3,
  title: "**@everyone** <!channel> is down",
  message: "evil/<b>@everyone</b>:free failed 3 checks in a row (timeout, timeout, timeout).",
  details: { model_name: "**@everyone** <!channel>", failures: ["timeout"], streak: 3 },
};

Deno.test("the format comes from a prefix, else from the host", () => {
  const cases: [string, string | null][] = [
    ["https://discord.com/api/webhooks/123/tok", "discord"],
    ["https://canary.discord.com/api/webhooks/123/tok", "discord"],
    ["https://discordapp.com/api/webhooks/123/tok", "discord"],
    ["https://discord.com/channels/1", "json"],
    ["https://hooks.slack.com/services/T/B/x", "slack"],
    ["https://ntfy.sh/my-topic", "ntfy"],
    ["https://ntfy.example.org/topic", "ntfy"],
    ["ntfy+https://push.example.org/topic", "ntfy"],
    ["SLACK+https://chat.example.org/hook", "slack"],
    ["json+http://127.0.0.1:9/x", "json"],
    ["https://example.org/hook", "json"],
    ["ftp://example.org/x", null],
    ["discord+ftp://x", null],
    ["not a url", null],
  ];
  for (const [entry, format] of cases) {
    assert.equal(parseWebhookEntry(entry)?.format ?? null, format, entry);
  }
  assert.equal(
    parseWebhookEntry("ntfy+https://push.example.org/t")?.url,
    "https://push.example.org/t",
  );
});

Deno.test("targets are named by label and a hash, never by their URL", async () => {
  const secret = "https://discord.com/api/webhooks/123/SECRET-TOKEN";
  const targets = await webhookTargets([secret, "https://example.org/a", "https://example.org/b"]);
  assert.deepEqual(targets.map((t) => t.label), ["discord #1", "json #1", "json #2"]);
  assert.match(targets[0].key, /^[0-9a-f]{16}$/);
  assert.notEqual(targets[1].key, targets[2].key);
  assert.equal((await webhookTargets([secret]))[0].key, targets[0].key, "stable across runs");
  assert.ok(!targets[0].key.includes("SECRET") && !targets[0].label.includes("SECRET"));
  await assert.rejects(() => webhookTargets(["nope"]), /entry 1 is not an http\(s\) URL/);
});

Deno.test("generic JSON carries the event as /api/events shows it", () => {
  const req = formatWebhook("json", EVENT);
  assert.equal(req.headers["Content-Type"], "application/json");
  const body = JSON.parse(req.body);
  assert.equal(body.source, "scouter");
  assert.deepEqual(body.event, JSON.parse(JSON.stringify(eventJson(EVENT))));
  assert.equal(body.event.at, "2026-11-27T10:00:00.000Z");
  assert.equal(body.event.model_name, "**@everyone** <!channel>");
});

Deno.test("Discord: no mentions, markdown escaped, an embed coloured by kind", () => {
  const body = JSON.parse(formatWebhook("discord", EVENT).body);
  assert.deepEqual(body.allowed_mentions, { parse: [] });
  const embed = body.embeds[0];
  assert.equal(embed.color, 0xdc2626);
  assert.equal(embed.timestamp, "2026-11-27T10:00:00.000Z");
  assert.ok(!/(^|[^\\])\*\*/.test(embed.title), `bold is escaped: ${embed.title}`);
  assert.ok(!embed.title.includes("@everyone"), "the mention is broken up");
  assert.equal(discordEscape("a_b*c"), "a\\_b\\*c");
  assert.equal(discordEscape("[x](http://evil)"), "\\[x\\]\\(http://evil\\)");
});

Deno.test("Slack: its control characters escaped", () => {
  const body = JSON.parse(formatWebhook("slack", EVENT).body);
  assert.ok(!body.text.includes("<!channel>"));
  assert.ok(body.text.includes("&lt;!channel&gt;"));
  assert.equal(slackEscape("a & <b>"), "a &amp; &lt;b&gt;");
});

Deno.test("ntfy: plain text body, one-line ASCII headers (RFC 2047 for the rest)", () => {
  const req = formatWebhook("ntfy", { ...EVENT, title: "Café\r\nInjected: yes" });
  assert.equal(req.body, EVENT.message);
  assert.equal(req.headers.Tags, "red_circle");
  assert.equal(req.headers.Priority, "4");
  assert.match(req.headers.Title, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
  const decoded = new TextDecoder().decode(
    Uint8Array.from(atob(req.headers.Title.slice(10, -2)), (c) => c.charCodeAt(0)),
  );
  assert.equal(decoded, "Café Injected: yes");
  assert.equal(headerValue("plain title"), "plain title");
  // Every header value is one a fetch accepts.
  new Headers(req.headers);
});
