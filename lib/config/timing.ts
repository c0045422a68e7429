import { Cron } from "croner";

/** When scans happen: every N hours, or on a cron expression (UTC, as Deno.cron reads it). */
export type Timing =
  | { kind: "interval"; everyMs: number }
  | { kind: "cron"; expression: string };

export function timingOf(config: { intervalHours: number; cron: string | null }): Timing {
  if (config.cron) return { kind: "cron", expression: config.cron };
  return { kind: "interval", everyMs: Math.round(config.intervalHours * 3_600_000) };
}

/** A cron expression croner cannot read, as one line; null when it is fine. */
export function cronProblem(expression: string): string | null {
  try {
    new Cron(expression, { timezone: "UTC", paused: true }).stop();
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^CronPattern: /, "");
  }
}

/** The next time a cron expression fires after `after` (epoch ms), in UTC. */
export function nextCronRun(expression: string, after: number): number | null {
  const job = new Cron(expression, { timezone: "UTC", paused: true });
  try {
    return job.nextRun(new Date(after))?.getTime() ?? null;
  } finally {
    job.stop();
  }
}

export function describeTiming(timing: Timing): string {
  if (timing.kind === "cron") return `cron "${timing.expression}" (UTC)`;
  const minutes = timing.everyMs / 60_000;
  return minutes % 60 === 0 ? `every ${minutes / 60} h` : `every ${Math.round(minutes)} min`;
}
