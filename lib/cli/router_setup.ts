/**
 * The server's router: one pacer for the process (its traffic-first view for routed
 * requests, the other for the scheduler's probes), the passthrough client and the /v1 options.
 */
import type { Config } from "../config/settings.ts";
import type { Store } from "../db/store.ts";
import { createPassthrough } from "../openrouter/passthrough.ts";
import { prioritize } from "../router/priority.ts";
import { createRouter, type Router } from "../router/router.ts";
import { systemClock } from "../scan/clock.ts";
import { createPacer, type Pacer } from "../scan/pacer.ts";
import type { V1Options } from "../../routes/v1/mod.ts";

export interface ServerRouting {
  /** For the scheduler: probes wait for routed traffic. */
  probesPacer: Pacer;
  router: Router | null;
  v1: V1Options;
}

export function routingOf(config: Config, store: Store, log: (m: string) => void): ServerRouting {
  const shared = createPacer({
    rpm: config.rpm,
    delayMs: config.requestDelaySeconds * 1000,
    clock: systemClock,
  });
  // What probes leave unspent is known before the first scan (each scan sets it again).
  shared.quota.setReserve(config.quotaReserve);
  shared.quota.setTrafficShare(config.routerToken ? config.routerTrafficShare : 0);
  const pacers = prioritize(shared);
  const router = config.routerToken
    ? createRouter({
      store,
      passthrough: config.apiKey
        ? createPassthrough({
          baseUrl: config.baseUrl,
          apiKey: config.apiKey,
          httpReferer: config.httpReferer,
          xTitle: config.xTitle,
        })
        : null,
      pacer: pacers.traffic,
      maxAttempts: config.routerMaxAttempts,
      firstTokenMs: config.routerFirstTokenSeconds * 1000,
      log,
    })
    : null;
  return {
    probesPacer: pacers.probes,
    router,
    v1: {
      router,
      token: config.routerToken,
      clientConcurrency: config.routerClientConcurrency,
      corsOrigins: config.routerCorsOrigins,
      log,
    },
  };
}
