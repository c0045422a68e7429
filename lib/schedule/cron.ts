/** The scheduler's clock of record: Deno.cron, or a stand-in that tests fire by hand. */

/** The signature of Deno.cron with options; tests pass their own to fire ticks by hand. */
export type CronRegister = (
  name: string,
  schedule: string,
  options: { backoffSchedule?: number[]; signal?: AbortSignal },
  handler: () => Promise<void>,
) => Promise<void>;

export const denoCron: CronRegister = (name, schedule, options, handler) =>
  Deno.cron(name, schedule, options, handler);
