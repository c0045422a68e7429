/**
 * Verified capabilities as the API, the pages, the recommender and the router read them: for
 * each model and each capability, what the catalog claims beside the latest conclusive verdict
 * of a check (table `model_capabilities`, written by lib/db/capabilities.ts). It reads that
 * table joined to the catalog itself (one query for claims and verdicts; lib/db's
 * latestCapabilities reads the verdicts alone).
 *
 *   const caps = await capabilitiesByModel(store.client);      // every model, one query
 *   caps.get(id)?.tools; // { claimed: true, verified: false, checked_at: "…", detail: "…" }
 *
 * `verified` is null when no check concluded yet, or when none applies (the catalog does not
 * claim it, so nothing asks). A verdict without a claim is shown too (reasoning seen in a
 * health probe of a model whose catalog entry does not list it).
 */
import type { Client, Row } from "@libsql/client";
import {
  CAPABILITIES,
  type Capability,
  type CapabilityClaimFacts,
  claims,
  isCapability,
} from "../domain/capability.ts";
import type { CapabilityVerdictRow, ModelCapabilities } from "../db/capabilities.ts";
import { jsonStrings, num, str, strOrNull } from "../db/values.ts";
import { iso } from "./sql.ts";

/** One capability of one model, as `GET /api/models` shows it. */
export interface CapabilityStatus {
  /** The catalog lists it (`supported_parameters`, `input_modalities`). */
  claimed: boolean;
  /** The latest conclusive check: true, false, or null (not checked yet or not applicable). */
  verified: boolean | null;
  /** ISO 8601 of that check; null with `verified: null`. */
  checked_at: string | null;
  /** Why, in a few words ("answered in prose"); null when there is nothing to say. */
  detail: string | null;
}

export type Capabilities = Record<Capability, CapabilityStatus>;

/** The stored verdicts of one model (lib/db/capabilities.ts's shape). */
export type StoredVerdicts = ModelCapabilities;

/** The catalog's claims beside the verdicts: the shape every surface shows. */
export function capabilitiesOf(
  facts: CapabilityClaimFacts | null,
  verdicts: StoredVerdicts | undefined,
): Capabilities {
  const out = {} as Capabilities;
  for (const c of CAPABILITIES) {
    const v = verdicts?.[c];
    out[c] = {
      claimed: facts !== null && claims(c, facts),
      verified: v ? v.verified : null,
      checked_at: v ? iso(v.checked_at) : null,
      detail: v ? v.detail : null,
    };
  }
  return out;
}

/** What a model shows before anything is known of it (no catalog entry, no check). */
export function unknownCapabilities(): Capabilities {
  return capabilitiesOf(null, undefined);
}

/**
 * Every model's capabilities (or only `modelIds`'), keyed by model id: the catalog's facts and
 * the verdicts in one query (a LEFT JOIN, so a model never checked has its claims alone).
 */
export async function capabilitiesByModel(
  client: Pick<Client, "execute">,
  modelIds?: readonly string[],
): Promise<Map<string, Capabilities>> {
  if (modelIds !== undefined && modelIds.length === 0) return new Map();
  const where = modelIds ? "WHERE m.id IN (SELECT value FROM json_each(?))" : "";
  const rs = await client.execute({
    sql: `SELECT m.id, m.supported_parameters, m.input_modalities,
                 c.capability, c.verified, c.checked_at, c.detail
            FROM models m LEFT JOIN model_capabilities c ON c.model_id = m.id
            ${where}`,
    args: modelIds ? [JSON.stringify(modelIds)] : [],
  });
  const facts = new Map<string, CapabilityClaimFacts>();
  const verdicts = new Map<string, StoredVerdicts>();
  for (const r of rs.rows) {
    const id = str(r.id);
    if (!facts.has(id)) {
      facts.set(id, {
        supported_parameters: jsonStrings(r.supported_parameters),
        input_modalities: jsonStrings(r.input_modalities).map((m) => m.toLowerCase()),
      });
    }
    const verdict = toVerdict(r);
    if (verdict) {
      const of = verdicts.get(id) ?? {};
      of[verdict.capability] = verdict.stored;
      verdicts.set(id, of);
    }
  }
  const out = new Map<string, Capabilities>();
  for (const [id, f] of facts) out.set(id, capabilitiesOf(f, verdicts.get(id)));
  return out;
}

function toVerdict(r: Row): { capability: Capability; stored: CapabilityVerdictRow } | null {
  const capability = strOrNull(r.capability);
  if (capability === null || !isCapability(capability)) return null; // no row, or a future one
  return {
    capability,
    stored: {
      verified: num(r.verified) === 1,
      checked_at: num(r.checked_at),
      detail: strOrNull(r.detail),
    },
  };
}

/** Whether `caps` holds every one of `wanted` verified true (`?supports=`, the table filter). */
export function verifiedAll(caps: Capabilities, wanted: readonly Capability[]): boolean {
  return wanted.every((c) => caps[c].verified === true);
}
