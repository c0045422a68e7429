/**
 * The `vision` check, for models whose catalog lists image input: an 8×8 solid red PNG made on
 * the fly (a data URL) and "What colour is this image?". Passes when the answer names red.
 */
import type { CatalogModel, ChatReply, ChatRequest } from "../../openrouter/types.ts";
import { buildChatRequest } from "../request.ts";
import { fail, type Judgement, pass, snippet } from "./judgement.ts";
import { pngDataUrl, solidPng } from "./png.ts";

export const VISION_PROMPT = "What colour is this image? Answer with one word.";
export const VISION_COLOUR = "red";

/** Made once: the same ~100 bytes for every request. */
let image: string | null = null;
export function visionImage(): string {
  image ??= pngDataUrl(solidPng([255, 0, 0]));
  return image;
}

export function visionRequest(model: CatalogModel, stream = true): ChatRequest {
  return {
    ...buildChatRequest(model, VISION_PROMPT),
    content: [
      { type: "text", text: VISION_PROMPT },
      { type: "image_url", image_url: { url: visionImage() } },
    ],
    stream,
  };
}

export function judgeVision(reply: ChatReply): Judgement {
  const text = reply.text.replace(/<think>[\s\S]*?<\/think>/gi, "").trim();
  if (text === "") return fail("no answer");
  if (new RegExp(`\\b${VISION_COLOUR}\\b`, "i").test(text)) return pass();
  return fail(`did not name the colour (answered ${snippet(text)})`);
}
