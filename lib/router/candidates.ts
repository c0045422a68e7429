/**
 * Which free models a routed request may go to, in the order to try them. Pure: the catalog
 * facts and the ranking (lib/recommend: Wilson lower bound of 24 h success, then p50 latency)
 * come in from the router service.
 *
 * Verified capabilities win over the catalog's claims for the three needs a request can carry
 * (tools → `tools`, a response format → `json`, an image → `vision`): a model a check found
 * without one is never a candidate; one verified to have it is tried before the models that
 * only claim it, among the working (ranked) models and again among the last resorts, the
 * ranking kept within each group. Models the caller names are tried as named.
 */
import { CAPABILITIES, type Capability, claims } from "../domain/capability.ts";
import type { Capabilities } from "../stats/capabilities.ts";

/** The virtual model id that means "the healthiest free model now". */
export const AUTO_MODEL = "scouter/free";

/** What a request needs of a model. */
export interface RequestNeeds {
  tools: boolean;
  structured: boolean;
  image: boolean;
  /** Estimated prompt tokens (characters / 4). */
  promptTokens: number;
}

/** The catalog facts filtering reads (a subset of lib/db's ModelRow). */
export interface ModelFacts {
  id: string;
  context_length: number | null;
  input_modalities: string[];
  supported_parameters: string[];
  is_router: boolean;
  /** The capability checks' latest verdicts (lib/stats/capabilities.ts); absent: none yet. */
  verified?: Partial<Record<Capability, boolean>>;
}

/** The conclusive verdicts of a model's capabilities, for `ModelFacts.verified`. */
export function verdictsOf(caps: Capabilities | undefined): Partial<Record<Capability, boolean>> {
  const out: Partial<Record<Capability, boolean>> = {};
  for (const c of CAPABILITIES) {
    const v = caps?.[c].verified;
    if (v === true || v === false) out[c] = v;
  }
  return out;
}

export type CandidateChoice =
  | { kind: "ok"; ids: string[] }
  | { kind: "bad_request"; message: string; code: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function needsOf(body: Record<string, unknown>): RequestNeeds {
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  const format = body.response_format;
  const structured = isRecord(format) &&
    (format.type === "json_schema" || format.type === "json_object");
  let chars = 0;
  let image = false;
  for (const m of Array.isArray(body.messages) ? body.messages : []) {
    if (!isRecord(m)) continue;
    if (typeof m.content === "string") chars += m.content.length;
    else if (Array.isArray(m.content)) {
      for (const part of m.content) {
        if (!isRecord(part)) continue;
        if (typeof part.text === "string") chars += part.text.length;
        if (part.type === "image_url" || part.type === "input_image") image = true;
      }
    }
  }
  return { tools, structured, image, promptTokens: Math.ceil(chars / 4) };
}

/** The capabilities a request with these needs depends on. */
export function neededCapabilities(needs: RequestNeeds): Capability[] {
  const out: Capability[] = [];
  if (needs.tools) out.push("tools");
  if (needs.structured) out.push("json");
  if (needs.image) out.push("vision");
  return out;
}

/** The catalog's claim (lib/domain's rule; modalities compared case-insensitively). */
function claimed(m: ModelFacts, c: Capability): boolean {
  return claims(c, {
    supported_parameters: m.supported_parameters,
    input_modalities: m.input_modalities.map((x) => x.toLowerCase()),
  });
}

/**
 * Whether a model can serve a request with these needs: per capability, the latest verdict
 * when a check concluded one, else the catalog's claim; then the context length.
 */
export function fits(m: ModelFacts, needs: RequestNeeds): boolean {
  for (const c of neededCapabilities(needs)) {
    const verdict = m.verified?.[c];
    if (verdict === false || (verdict === undefined && !claimed(m, c))) return false;
  }
  return m.context_length === null || needs.promptTokens <= m.context_length;
}

/** Every needed capability verified true (not just claimed). */
function verifiedFor(m: ModelFacts | undefined, needed: readonly Capability[]): boolean {
  return m !== undefined && needed.every((c) => m.verified?.[c] === true);
}

/**
 * The candidates for a request: `scouter/free` → the ranked models that fit, then the other
 * free models that fit (unmeasured or failing, as a last resort); a concrete free id → it,
 * then the same list; `models: [...]` → those, in order. Anything not free is refused.
 */
export function chooseCandidates(
  body: Record<string, unknown>,
  catalog: ReadonlyMap<string, ModelFacts>,
  ranked: readonly string[],
): CandidateChoice {
  const model = typeof body.model === "string" ? body.model.trim() : "";
  const list = body.models;
  if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== "string"))) {
    return bad("`models` must be an array of model ids", "invalid_models");
  }
  const asked = [
    ...(model !== "" && model !== AUTO_MODEL ? [model] : []),
    ...((list as string[] | undefined) ?? []).filter((id) => id !== AUTO_MODEL),
  ];
  if (model === "" && asked.length === 0) return bad("`model` is required", "missing_model");
  for (const id of asked) {
    if (!catalog.has(id)) {
      return bad(
        `${JSON.stringify(id.slice(0, 200))} is not a free model Scouter knows; the router never ` +
          `spends credits (use "${AUTO_MODEL}" or a free id from GET /v1/models)`,
        "model_not_free",
      );
    }
  }
  const explicitList = Array.isArray(list) && list.length > 0 && !list.includes(AUTO_MODEL);
  if (explicitList) return { kind: "ok", ids: unique(asked) };

  const needs = needsOf(body);
  const usable = (id: string) => {
    const m = catalog.get(id);
    return m !== undefined && !m.is_router && fits(m, needs);
  };
  const best = ranked.filter(usable);
  const rest = [...catalog.keys()].filter((id) => usable(id) && !best.includes(id));
  const needed = neededCapabilities(needs);
  // Within the ranked (working) models and within the last resorts, verified ones first: a
  // verified but failing model does not jump ahead of a working one that only claims it.
  const verifiedFirst = (ids: string[]) =>
    needed.length === 0 ? ids : [
      ...ids.filter((id) => verifiedFor(catalog.get(id), needed)),
      ...ids.filter((id) => !verifiedFor(catalog.get(id), needed)),
    ];
  return { kind: "ok", ids: unique([...asked, ...verifiedFirst(best), ...verifiedFirst(rest)]) };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function bad(message: string, code: string): CandidateChoice {
  return { kind: "bad_request", message, code };
}
