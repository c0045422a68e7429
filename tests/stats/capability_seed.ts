/** Verdicts written straight into `model_capabilities`, as a check round leaves them. */
import type { Client } from "@libsql/client";
import type { Capability } from "../../lib/domain/capability.ts";

export interface SeedVerdict {
  model_id: string;
  capability: Capability;
  verified: boolean;
  /** Epoch ms. */
  checked_at: number;
  detail?: string | null;
}

export async function seedVerdicts(
  client: Pick<Client, "execute">,
  verdicts: readonly SeedVerdict[],
): Promise<void> {
  for (const v of verdicts) {
    await client.execute({
      sql: `INSERT INTO model_capabilities
              (model_id, capability, verified, checked_at, detail, last_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (model_id, capability) DO UPDATE SET verified = excluded.verified,
              checked_at = excluded.checked_at, detail = excluded.detail,
              last_attempt_at = excluded.last_attempt_at`,
      args: [
        v.model_id,
        v.capability,
        v.verified ? 1 : 0,
        v.checked_at,
        v.detail ?? null,
        v.checked_at,
      ],
    });
  }
}
