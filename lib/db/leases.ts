/**
 * Leases: a row per name saying who holds it until when. Taking one is a single statement, so
 * two processes racing for it cannot both win; an expired lease (its holder died) is free.
 */
import type { Client } from "@libsql/client";
import { num, str } from "./values.ts";

export interface LeaseRow {
  name: string;
  holder: string;
  acquired_at: number;
  expires_at: number;
}

/** Takes the lease if it is free, expired, or already ours; true when we hold it after. */
export async function acquireLease(
  client: Client,
  name: string,
  holder: string,
  now: number,
  ttlMs: number,
): Promise<boolean> {
  const rs = await client.execute({
    sql: `INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
        acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at
          ELSE excluded.acquired_at END,
        expires_at = excluded.expires_at
      WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
    args: [name, holder, now, now + ttlMs, now],
  });
  return rs.rowsAffected > 0;
}

/** Extends a lease we hold; false if we lost it (it expired and someone else took it). */
export async function renewLease(
  client: Client,
  name: string,
  holder: string,
  now: number,
  ttlMs: number,
): Promise<boolean> {
  const rs = await client.execute({
    sql: "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?",
    args: [now + ttlMs, name, holder],
  });
  return rs.rowsAffected > 0;
}

export async function releaseLease(client: Client, name: string, holder: string): Promise<void> {
  await client.execute({
    sql: "DELETE FROM leases WHERE name = ? AND holder = ?",
    args: [name, holder],
  });
}

/** The current holder, or null when the lease is free or expired. */
export async function getLease(
  client: Client,
  name: string,
  now: number,
): Promise<LeaseRow | null> {
  const rs = await client.execute({
    sql:
      "SELECT name, holder, acquired_at, expires_at FROM leases WHERE name = ? AND expires_at > ?",
    args: [name, now],
  });
  if (rs.rows.length === 0) return null;
  const r = rs.rows[0];
  return {
    name: str(r.name),
    holder: str(r.holder),
    acquired_at: num(r.acquired_at),
    expires_at: num(r.expires_at),
  };
}
