import { z } from "zod";
import { parseWebhookEntry } from "./webhooks.ts";
import { cronProblem } from "./timing.ts";
import { ConfigError } from "./errors.ts";
import type { EnvSource } from "./env.ts";

/**
 * Every setting: its environment variable (names fixed by ../shared/CONTRACT.md), the CLI flag
 * that overrides it, its default, and how its text is validated. Flags win over the process
 * environment, which wins over `.env`.
 */

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().trim().regex(/^\d+$/, `must be a whole number`).transform(Number).pipe(
    z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

const decimal = (min: number, max: number) =>
  z.string().trim().regex(/^\d+(\.\d+)?$/, "must be a number").transform(Number).pipe(
    z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

const boolean = z.string().trim().toLowerCase().refine(
  (v) => ["1", "0", "true", "false", "yes", "no", "on", "off"].includes(v),
  "must be true or false",
).transform((v) => ["1", "true", "yes", "on"].includes(v));

const text = z.string().trim().min(1, "must not be empty");

const httpUrl = z.string().trim().refine((v) => {
  try {
    return ["http:", "https:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, "must be an http(s) URL").transform((v) => v.replace(/\/+$/, ""));

const databaseUrl = z.string().trim().refine((v) => {
  try {
    return ["file:", "libsql:", "http:", "https:", "ws:", "wss:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, "must be a file:, libsql:// or https:// URL");

/** A region tag: also part of the scan lease's name, so kept to plain characters. */
const regionName = z.string().trim().regex(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
  "must be 1 to 63 letters, digits, '.', '_' or '-' (e.g. eu-west)",
);

const commaList = z.string().transform((v) =>
  v.split(",").map((s) => s.trim()).filter((s) => s.length > 0)
);

/** Comma-separated webhook URLs, each optionally `discord+`, `slack+`, `ntfy+` or `json+`. */
const webhookList = commaList.superRefine((urls, ctx) => {
  const bad = urls.findIndex((u) => parseWebhookEntry(u) === null);
  if (bad >= 0) {
    // The value is a secret (webhook URLs embed tokens): name its position only.
    ctx.addIssue({
      code: "custom",
      message: `entry ${bad + 1} is not an http(s) URL (after an optional discord+, slack+, ` +
        "ntfy+ or json+ prefix)",
    });
  }
});

/** A five-field cron expression (UTC), checked the way the scheduler will read it. */
const cronExpression = z.string().trim().regex(
  /^(\S+\s+){4}\S+$/,
  'must be a cron expression with five fields, e.g. "0 * * * *"',
).superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) {
    ctx.addIssue({ code: "custom", message: `is not a valid cron expression: ${problem}` });
  }
});

interface Setting<T> {
  env: string;
  flag?: string;
  default: T;
  schema: z.ZodType<T, string>;
}

const setting = <T>(s: Setting<T>): Setting<T> => s;

/** A stream silent this long after its first token is stalled; at most the timeout. */
const DEFAULT_STALL_SECONDS = 10;

export const SETTINGS = {
  apiKey: setting<string | null>({ env: "OPENROUTER_API_KEY", default: null, schema: text }),
  baseUrl: setting({
    env: "OPENROUTER_BASE_URL",
    default: "https://openrouter.ai/api/v1",
    schema: httpUrl,
  }),
  httpReferer: setting<string | null>({
    env: "OPENROUTER_HTTP_REFERER",
    default: null,
    schema: text,
  }),
  xTitle: setting<string | null>({ env: "OPENROUTER_X_TITLE", default: null, schema: text }),
  timeoutSeconds: setting({
    env: "OPENROUTER_SCOUT_TIMEOUT_SECONDS",
    flag: "timeout-seconds",
    default: 20,
    schema: decimal(0.1, 600),
  }),
  stallSeconds: setting({
    env: "OPENROUTER_SCOUT_STALL_SECONDS",
    flag: "stall-seconds",
    default: DEFAULT_STALL_SECONDS,
    schema: decimal(0.1, 600),
  }),
  maxRetries: setting({
    env: "OPENROUTER_SCOUT_MAX_RETRIES",
    flag: "max-retries",
    default: 2,
    schema: wholeNumber(0, 10),
  }),
  concurrency: setting({
    env: "OPENROUTER_SCOUT_CONCURRENCY",
    flag: "concurrency",
    default: 2,
    schema: wholeNumber(1, 64),
  }),
  requestDelaySeconds: setting({
    env: "OPENROUTER_SCOUT_REQUEST_DELAY_SECONDS",
    flag: "request-delay-seconds",
    default: 0.3,
    schema: decimal(0, 3600),
  }),
  maxModels: setting<number | null>({
    env: "OPENROUTER_SCOUT_MAX_MODELS",
    flag: "max-models",
    default: null,
    schema: wholeNumber(1),
  }),
  modelIdContains: setting<string[]>({
    env: "OPENROUTER_SCOUT_MODEL_ID_CONTAINS",
    flag: "model-id-contains",
    default: [],
    schema: commaList,
  }),
  prompt: setting({
    env: "OPENROUTER_SCOUT_PROMPT",
    flag: "prompt",
    default: "Respond with the exact text: OK",
    schema: text,
  }),
  dbPath: setting({
    env: "OPENROUTER_SCOUT_DB_PATH",
    flag: "db-path",
    default: "results/scouter.db",
    schema: text,
  }),
  databaseUrl: setting<string | null>({
    env: "OPENROUTER_SCOUT_DATABASE_URL",
    default: null,
    schema: databaseUrl,
  }),
  databaseAuthToken: setting<string | null>({
    env: "OPENROUTER_SCOUT_DATABASE_AUTH_TOKEN",
    default: null,
    schema: text,
  }),
  region: setting<string | null>({
    env: "OPENROUTER_SCOUT_REGION",
    default: null,
    schema: regionName,
  }),
  /** Days of raw checks kept (rollups are kept for good); 0 keeps every raw check forever. */
  retentionDays: setting({
    env: "OPENROUTER_SCOUT_RETENTION_DAYS",
    default: 30,
    schema: wholeNumber(0, 36_500),
  }),
  intervalHours: setting({
    env: "OPENROUTER_SCOUT_INTERVAL_HOURS",
    default: 1,
    schema: decimal(0.05, 24 * 31),
  }),
  cron: setting<string | null>({
    env: "OPENROUTER_SCOUT_CRON",
    default: null,
    schema: cronExpression,
  }),
  scanOnStart: setting({ env: "OPENROUTER_SCOUT_SCAN_ON_START", default: true, schema: boolean }),
  rpm: setting({ env: "OPENROUTER_SCOUT_RPM", default: 20, schema: wholeNumber(1, 100_000) }),
  // Free-model requests a UTC day a scan leaves unspent, for the user's own apps.
  quotaReserve: setting({
    env: "OPENROUTER_SCOUT_QUOTA_RESERVE",
    default: 0,
    schema: wholeNumber(0, 100_000),
  }),
  adminToken: setting<string | null>({
    env: "OPENROUTER_SCOUT_ADMIN_TOKEN",
    default: null,
    schema: text,
  }),
  webHost: setting({
    env: "OPENROUTER_SCOUT_WEB_HOST",
    flag: "host",
    default: "0.0.0.0",
    schema: text,
  }),
  webPort: setting({
    env: "OPENROUTER_SCOUT_WEB_PORT",
    flag: "port",
    default: 8000,
    schema: wholeNumber(0, 65535),
  }),
  repeatCount: setting({
    env: "OPENROUTER_SCOUT_REPEAT_COUNT",
    flag: "repeat-count",
    default: 1,
    schema: wholeNumber(1, 100_000),
  }),
  repeatIntervalMinutes: setting({
    env: "OPENROUTER_SCOUT_REPEAT_INTERVAL_MINUTES",
    flag: "repeat-interval-minutes",
    default: 0,
    schema: decimal(0, 60 * 24 * 31),
  }),
  failIfNoneOk: setting({
    env: "OPENROUTER_SCOUT_FAIL_IF_NONE_OK",
    flag: "fail-if-none-ok",
    default: false,
    schema: boolean,
  }),
  webhookUrls: setting<string[]>({
    env: "OPENROUTER_SCOUT_WEBHOOK_URLS",
    default: [],
    schema: webhookList,
  }),
  alertDownAfter: setting({
    env: "OPENROUTER_SCOUT_ALERT_DOWN_AFTER",
    default: 3,
    schema: wholeNumber(1, 1000),
  }),
  alertRecoverAfter: setting({
    env: "OPENROUTER_SCOUT_ALERT_RECOVER_AFTER",
    default: 2,
    schema: wholeNumber(1, 1000),
  }),
  alertExpiryDays: setting({
    env: "OPENROUTER_SCOUT_ALERT_EXPIRY_DAYS",
    default: 7,
    schema: wholeNumber(0, 365),
  }),
  /** Hours between two reads of a model's OpenRouter endpoint stats; 0 never reads them. */
  endpointStatsIntervalHours: setting({
    env: "OPENROUTER_SCOUT_ENDPOINT_STATS_INTERVAL_HOURS",
    default: 1,
    schema: decimal(0, 24 * 365),
  }),
  /**
   * Hours between two capability checks (tools, JSON, vision) of one model; 0 turns the
   * scheduled rounds off (`scan --capabilities` still runs one).
   */
  capabilityIntervalHours: setting({
    env: "OPENROUTER_SCOUT_CAPABILITY_INTERVAL_HOURS",
    default: 24,
    schema: decimal(0, 24 * 365),
  }),
  spreadChecks: setting({
    env: "OPENROUTER_SCOUT_SPREAD_CHECKS",
    default: false,
    schema: boolean,
  }),
  /** Enables the OpenAI-compatible router under /v1 (`Authorization: Bearer <token>`). */
  routerToken: setting<string | null>({
    env: "OPENROUTER_SCOUT_ROUTER_TOKEN",
    default: null,
    schema: z.string().trim().min(16, "must be at least 16 characters"),
  }),
  /** Free models one routed request may try before it gives up. */
  routerMaxAttempts: setting({
    env: "OPENROUTER_SCOUT_ROUTER_MAX_ATTEMPTS",
    default: 3,
    schema: wholeNumber(1, 10),
  }),
  /** A candidate that sends no content or tool call within this many seconds is failed over. */
  routerFirstTokenSeconds: setting({
    env: "OPENROUTER_SCOUT_ROUTER_FIRST_TOKEN_SECONDS",
    default: 30,
    schema: decimal(0.1, 600),
  }),
  /** Routed requests one client (IP) may have in flight at once. */
  routerClientConcurrency: setting({
    env: "OPENROUTER_SCOUT_ROUTER_CLIENT_CONCURRENCY",
    default: 8,
    schema: wholeNumber(1, 10_000),
  }),
  /** Origins allowed to call /v1 from a browser (comma-separated, `*` for any); unset: none. */
  routerCorsOrigins: setting<string[]>({
    env: "OPENROUTER_SCOUT_ROUTER_CORS_ORIGINS",
    default: [],
    schema: commaList,
  }),
  /**
   * Minutes within which a routed request's check counts as the model's measurement: a scan does
   * not probe a model routed traffic measured this recently. Unset: the scan interval (60 with
   * a cron schedule); 0 always probes.
   */
  trafficFreshMinutes: setting<number | null>({
    env: "OPENROUTER_SCOUT_TRAFFIC_FRESH_MINUTES",
    default: null,
    schema: wholeNumber(0, 60 * 24 * 31),
  }),
  /**
   * With the router on, the share of the day's free requests probes leave to routed traffic:
   * probes stop once reserve + ceil(share × daily limit) requests are left (lib/scan/quota.ts).
   */
  routerTrafficShare: setting({
    env: "OPENROUTER_SCOUT_ROUTER_TRAFFIC_SHARE",
    default: 0.25,
    schema: decimal(0, 0.9),
  }),
};

export type SettingKey = keyof typeof SETTINGS;
export type Config = { [K in SettingKey]: (typeof SETTINGS)[K]["default"] };

/** The environment variable names Scouter reads (also the list `--allow-env` needs). */
export const ENV_NAMES: readonly string[] = Object.values(SETTINGS).map((s) => s.env);

/** Values given on the command line, as text, keyed by setting. */
export type FlagValues = Partial<Record<SettingKey, string>>;

/**
 * Resolves every setting from flags, then the merged environment, then the default.
 * Throws ConfigError naming the flag or variable at fault; secrets never appear in it.
 */
export function resolveConfig(env: EnvSource, flags: FlagValues = {}): Config {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [SettingKey, Setting<unknown>][]) {
    const fromFlag = flags[key];
    const fromEnv = env[s.env];
    const raw = fromFlag ?? (fromEnv !== undefined && fromEnv.trim() !== "" ? fromEnv : undefined);
    if (raw === undefined) {
      out[key] = s.default;
      continue;
    }
    const parsed = s.schema.safeParse(raw);
    if (!parsed.success) {
      const where = fromFlag !== undefined ? `--${s.flag}` : s.env;
      const secret = key === "apiKey" || key === "adminToken" || key === "databaseAuthToken" ||
        key === "webhookUrls" || key === "routerToken";
      const shown = secret ? "" : ` (got ${JSON.stringify(raw.slice(0, 80))})`;
      throw new ConfigError(`${where} ${parsed.error.issues[0]?.message ?? "is invalid"}${shown}`);
    }
    out[key] = parsed.data;
  }
  return checkStall(out as Config, flags, env);
}

/** The stall window lies within the timeout: the default shrinks to it, a given value must. */
function checkStall(config: Config, flags: FlagValues, env: EnvSource): Config {
  if (config.stallSeconds <= config.timeoutSeconds) return config;
  const given = flags.stallSeconds !== undefined ||
    (env[SETTINGS.stallSeconds.env]?.trim() ?? "") !== "";
  if (!given) return { ...config, stallSeconds: config.timeoutSeconds };
  const where = flags.stallSeconds !== undefined ? "--stall-seconds" : SETTINGS.stallSeconds.env;
  throw new ConfigError(
    `${where} must not exceed the timeout (${config.timeoutSeconds} s, ` +
      `OPENROUTER_SCOUT_TIMEOUT_SECONDS or --timeout-seconds) (got ${config.stallSeconds})`,
  );
}
