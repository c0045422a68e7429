/**
 * Which free models a routed request may go to, in the order to try them. Pure: the catalog
 * facts and the ranking (lib/recommend: Wilson lower bound of 24 h success, then p50 latency)
 * come in from the router service.
 */

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

/** Whether a model can serve a request with these needs, per its catalog entry. */
export function fits(m: ModelFacts, needs: RequestNeeds): boolean {
  const params = m.supported_parameters;
  if (needs.tools && !params.includes("tools")) return false;
  if (
    needs.structured && !params.includes("structured_outputs") &&
    !params.includes("response_format")
  ) return false;
  if (needs.image && !m.input_modalities.map((x) => x.toLowerCase()).includes("image")) {
    return false;
  }
  return m.context_length === null || needs.promptTokens <= m.context_length;
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
  return { kind: "ok", ids: unique([...asked, ...best, ...rest]) };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function bad(message: string, code: string): CandidateChoice {
  return { kind: "bad_request", message, code };
}
