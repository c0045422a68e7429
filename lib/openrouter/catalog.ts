/**
 * GET /models: lenient validation and normalisation of OpenRouter's catalog, the free-model
 * rule and the user's filters. Pure functions; the HTTP part lives in client.ts.
 */
import { z } from "zod";
import type { CatalogModel, ModelPricing, ReasoningInfo } from "./types.ts";

// Each optional field falls back to null/[] on a wrong type (`.catch`), so one odd field
// never costs us the model; only an entry without a usable `id` is skipped.
const optString = z.string().nullish().catch(null);
const optNumber = z.number().finite().nullish().catch(null);
const stringList = z.array(z.unknown()).nullish().catch(null).transform((list) =>
  (list ?? []).filter((v): v is string => typeof v === "string")
);
const price = z.union([z.string(), z.number()]).nullish().catch(null).transform((v) =>
  v === null || v === undefined ? null : String(v)
);

const RawModel = z.looseObject({
  id: z.string().min(1).max(256),
  name: optString,
  description: optString,
  context_length: optNumber,
  created: optNumber,
  expiration_date: optString,
  architecture: z.looseObject({
    modality: optString,
    input_modalities: stringList,
    output_modalities: stringList,
  }).nullish().catch(null),
  pricing: z.looseObject({ prompt: price, completion: price }).nullish().catch(null),
  supported_parameters: stringList,
  reasoning: z.looseObject({
    mandatory: z.boolean().catch(false),
    supported_efforts: stringList,
  }).nullish().catch(null),
});
type RawModel = z.infer<typeof RawModel>;

/** Both shapes: `{data}` and the paginated `{data, total_count, links: {next}}`. */
const CatalogPage = z.looseObject({
  data: z.array(z.unknown()),
  total_count: optNumber,
  links: z.looseObject({ next: optString }).nullish().catch(null),
});

export interface CatalogPageResult {
  models: CatalogModel[];
  /** Entries that were not objects with a string `id`. */
  skipped: number;
  /** `links.next` when it is a non-empty string: the next page's URL or path. */
  next: string | null;
  total_count: number | null;
}

/**
 * Validates one page of GET /models. Returns null when the top level is not a catalog
 * (no `data` array); single malformed entries are skipped and counted.
 */
export function parseCatalogPage(body: unknown): CatalogPageResult | null {
  const page = CatalogPage.safeParse(body);
  if (!page.success) return null;
  const models: CatalogModel[] = [];
  let skipped = 0;
  for (const entry of page.data.data) {
    const raw = RawModel.safeParse(entry);
    if (raw.success) models.push(normaliseModel(raw.data));
    else skipped++;
  }
  const next = page.data.links?.next;
  return {
    models,
    skipped,
    next: typeof next === "string" && next.trim() !== "" ? next.trim() : null,
    total_count: page.data.total_count ?? null,
  };
}

function normaliseModel(raw: RawModel): CatalogModel {
  const arch = raw.architecture;
  let input = arch?.input_modalities ?? [];
  let output = arch?.output_modalities ?? [];
  if (input.length === 0 && output.length === 0 && arch?.modality) {
    [input, output] = parseModality(arch.modality);
  }
  const reasoning: ReasoningInfo | null = raw.reasoning
    ? { mandatory: raw.reasoning.mandatory, supported_efforts: raw.reasoning.supported_efforts }
    : null;
  const pricing: ModelPricing | null = raw.pricing
    ? { prompt: raw.pricing.prompt, completion: raw.pricing.completion }
    : null;
  return {
    id: raw.id,
    name: raw.name && raw.name.trim() !== "" ? raw.name : raw.id,
    description: raw.description ?? null,
    context_length: raw.context_length != null && raw.context_length >= 0
      ? raw.context_length
      : null,
    input_modalities: input,
    output_modalities: output,
    supported_parameters: raw.supported_parameters,
    expiration_date: normaliseDate(raw.expiration_date),
    created: raw.created ?? null,
    is_router: isRouterId(raw.id),
    reasoning,
    pricing,
  };
}

/** `"text+image->text"` → `[["text","image"], ["text"]]`. */
export function parseModality(modality: string): [string[], string[]] {
  const [inPart, outPart] = modality.split("->");
  const split = (s: string | undefined) =>
    (s ?? "").split("+").map((m) => m.trim()).filter((m) => m !== "");
  return [split(inPart), split(outPart)];
}

/** Keeps `YYYY-MM-DD` (also from a longer ISO timestamp); anything else is null. */
function normaliseDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value.trim());
  return m ? m[1] : null;
}

/** Routers (`openrouter/free`, `openrouter/auto` …) pick another model per request. */
export function isRouterId(id: string): boolean {
  return id.startsWith("openrouter/");
}

/** A price that parses to exactly 0. `"-1"` (router: price varies) and `""` are not. */
function isZeroPrice(value: unknown): boolean {
  if (typeof value === "number") return value === 0;
  if (typeof value !== "string" || value.trim() === "") return false;
  return Number(value) === 0;
}

/**
 * Free: the id ends with `:free`, or both the prompt and the completion price are 0.
 * Accepts a normalised CatalogModel or a raw catalog entry.
 */
export function isFreeModel(
  model: { id: string; pricing?: { prompt?: unknown; completion?: unknown } | null },
): boolean {
  if (model.id.endsWith(":free")) return true;
  const p = model.pricing;
  return !!p && isZeroPrice(p.prompt) && isZeroPrice(p.completion);
}

/** The free models of a catalog, in catalog order. */
export function freeModels(models: CatalogModel[]): CatalogModel[] {
  return models.filter(isFreeModel);
}

export interface ModelFilter {
  /** Keep ids containing any of these (case-insensitive); empty keeps all. */
  idContains: string[];
  /** Keep the first N after sorting by id; null keeps all. */
  maxModels: number | null;
}

/** Applies the user's filters. The result is always sorted by id, so runs are repeatable. */
export function filterModels(models: CatalogModel[], opts: ModelFilter): CatalogModel[] {
  const needles = opts.idContains.map((s) => s.trim().toLowerCase()).filter((s) => s !== "");
  const kept = needles.length === 0
    ? [...models]
    : models.filter((m) => needles.some((n) => m.id.toLowerCase().includes(n)));
  kept.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return opts.maxModels === null ? kept : kept.slice(0, Math.max(0, opts.maxModels));
}
