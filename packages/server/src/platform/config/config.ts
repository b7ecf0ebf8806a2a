import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting Careline reads, validated once at start. Names are the environment variables
 * (documented in docs/CONFIG.md); an optional JSON file named by CARELINE_CONFIG_FILE may hold
 * the same keys, and the environment wins over the file.
 */
const booleanFromString = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const intInRange = (min: number, max: number) =>
  z.coerce
    .number({ message: `expected a whole number from ${min} to ${max}` })
    .int({ message: `expected a whole number from ${min} to ${max}` })
    .min(min, { message: `expected a whole number from ${min} to ${max}` })
    .max(max, { message: `expected a whole number from ${min} to ${max}` });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const ZRawConfig = z
  .object({
    CARELINE_HOST: z.string().min(1).default('127.0.0.1'),
    CARELINE_PORT: intInRange(0, 65535).default(8080),
    CARELINE_PUBLIC_URL: optionalString.pipe(z.url({ message: 'expected an absolute http(s) URL' }).optional()),
    CARELINE_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// or postgresql:// URL' })
        .optional(),
    ),
    CARELINE_DB_POOL_MAX: intInRange(1, 500).default(20),
    CARELINE_ACCEPT_UNSAFE_DURABILITY: booleanFromString.default(false),
    CARELINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CARELINE_TRUST_PROXY: optionalString,
    CARELINE_TLS_CERT_FILE: optionalString,
    CARELINE_TLS_KEY_FILE: optionalString,
    CARELINE_BODY_LIMIT_BYTES: intInRange(1024, 256 * 1024 * 1024).default(4 * 1024 * 1024),
    CARELINE_RATE_LIMIT_MAX: intInRange(0, 10_000_000).default(3000),
    CARELINE_RATE_LIMIT_WINDOW_MS: intInRange(1000, 3_600_000).default(60_000),
    CARELINE_CORS_ORIGINS: optionalString,
    CARELINE_METRICS_TOKEN: optionalString.pipe(z.string().min(16, { message: 'must be at least 16 characters' }).optional()),
    CARELINE_METRICS_PORT: intInRange(0, 65535).optional(),
    CARELINE_SHUTDOWN_TIMEOUT_MS: intInRange(100, 600_000).default(10_000),
    CARELINE_READY_TIMEOUT_MS: intInRange(100, 4_500).default(2_000),
    CARELINE_JOBS: booleanFromString.default(true),
    CARELINE_ENABLE_TEST_CHANNEL: booleanFromString.default(false),
    CARELINE_INSECURE_OPEN_FHIR: booleanFromString.default(false),
    CARELINE_SUBSCRIPTION_ALLOWED_HOSTS: optionalString,
    CARELINE_SESSION_IDLE_TIMEOUT_S: intInRange(1, 7 * 24 * 3600).default(30 * 60),
    CARELINE_SESSION_ABSOLUTE_TIMEOUT_S: intInRange(1, 30 * 24 * 3600).default(12 * 3600),
    CARELINE_CLIENT_TOKEN_TTL_S: intInRange(1, 24 * 3600).default(3600),
    CARELINE_SMTP_URL: optionalString.pipe(
      z
        .string()
        .regex(/^smtps?:\/\//, { message: 'expected an smtp:// or smtps:// URL' })
        .optional(),
    ),
    CARELINE_MAIL_FROM: z.string().min(3).default('Careline <no-reply@localhost>'),
    CARELINE_PASSWORD_HASH_MEMORY_KIB: intInRange(64, 4 * 1024 * 1024).default(19_456),
    CARELINE_PASSWORD_HASH_TIME_COST: intInRange(1, 100).default(2),
    CARELINE_AUTH_RATE_LIMIT_MAX: intInRange(1, 1_000_000).default(30),
    CARELINE_AUTH_RATE_LIMIT_WINDOW_MS: intInRange(1000, 3_600_000).default(60_000),
    CARELINE_BREAK_GLASS_HOURS: intInRange(1, 72).default(4),
    CARELINE_ALERT_ESCALATION_MINUTES: intInRange(1, 1440).default(15),
    CARELINE_STUN_URLS: optionalString,
    CARELINE_TURN_URLS: optionalString,
    CARELINE_TURN_SECRET: optionalString,
    CARELINE_ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
    CARELINE_VISIT_JOIN_EARLY_MINUTES: intInRange(0, 24 * 60).default(15),
    CARELINE_VISIT_JOIN_LATE_MINUTES: intInRange(0, 24 * 60).default(60),
    CARELINE_MQTT_URL: optionalString.pipe(
      z
        .string()
        .regex(/^(mqtts?|wss?):\/\/[^/]+/, { message: 'expected an mqtt://, mqtts://, ws:// or wss:// URL of a broker' })
        .optional(),
    ),
    CARELINE_MQTT_USERNAME: optionalString,
    CARELINE_MQTT_PASSWORD: optionalString,
    CARELINE_MQTT_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'expected 1–64 letters, digits, "_", "." or "-"' }).default('careline'),
    CARELINE_MQTT_CLIENT_ID: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'expected 1–64 letters, digits, "_", "." or "-"' })
        .optional(),
    ),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.CARELINE_TLS_CERT_FILE) !== Boolean(c.CARELINE_TLS_KEY_FILE)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.CARELINE_TLS_CERT_FILE ? 'CARELINE_TLS_KEY_FILE' : 'CARELINE_TLS_CERT_FILE'],
        message: 'CARELINE_TLS_CERT_FILE and CARELINE_TLS_KEY_FILE must be set together',
      });
    }
  });

export type TRawConfig = z.infer<typeof ZRawConfig>;

export type TrustProxy = boolean | number | string[];

export interface CarelineConfig {
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string | undefined;
  readonly dataDir: string;
  readonly database: { readonly kind: 'pglite'; readonly dataDir: string } | { readonly kind: 'postgres'; readonly url: string; readonly poolMax: number };
  readonly acceptUnsafeDurability: boolean;
  readonly logLevel: TRawConfig['CARELINE_LOG_LEVEL'];
  readonly trustProxy: TrustProxy;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly bodyLimitBytes: number;
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  readonly corsOrigins: readonly string[];
  readonly metrics: { readonly token: string | undefined; readonly port: number | undefined };
  readonly shutdownTimeoutMs: number;
  readonly readyTimeoutMs: number;
  readonly jobs: boolean;
  readonly enableTestChannel: boolean;
  /** Development and benchmarks only, until identity lands: the FHIR API without access control. */
  readonly insecureOpenFhir: boolean;
  /** Hosts (or host:port) that FHIR rest-hook subscriptions may reach although they are private or local. */
  readonly subscriptionAllowedHosts: readonly string[];
  /** Sessions end after this long without a request, or this long after login (OWASP ASVS V3.3). */
  readonly session: { readonly idleTimeoutSeconds: number; readonly absoluteTimeoutSeconds: number; readonly clientTokenTtlSeconds: number };
  /** Outgoing mail; without smtpUrl, mails are not sent (a warning is logged instead). */
  readonly mail: { readonly smtpUrl: string | undefined; readonly from: string };
  /** argon2id cost (OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1); tests use less. */
  readonly passwordHash: { readonly memoryKib: number; readonly timeCost: number };
  /** Per-address limit on each /auth/* route (applies while the global rate limit is on). */
  readonly authRateLimit: { readonly max: number; readonly windowMs: number };
  /** How long a break-the-glass opening of a patient lasts (identity/access/break-glass.ts). */
  readonly breakGlassHours: number;
  /** A monitoring alert still unacknowledged after this many minutes is emailed to the care team. */
  readonly alertEscalationMinutes: number;
  /**
   * Video visits (visits/room): ICE servers handed to browsers. TURN credentials are minted per
   * participant from `turnSecret` (TURN REST API; coturn `use-auth-secret` + `static-auth-secret`) and
   * expire with the visit. Join links open `joinEarlyMinutes` before the slot and close
   * `joinLateMinutes` after its end.
   */
  readonly video: {
    readonly stunUrls: readonly string[];
    readonly turnUrls: readonly string[];
    readonly turnSecret: string | undefined;
    readonly iceTransportPolicy: 'all' | 'relay';
    readonly joinEarlyMinutes: number;
    readonly joinLateMinutes: number;
  };
  /**
   * Device readings over MQTT (monitoring/mqtt): the broker Careline subscribes to, absent when
   * CARELINE_MQTT_URL is unset. The client id must be stable across restarts (the broker keeps the
   * session and redelivers unacknowledged readings to it) and distinct per instance.
   */
  readonly mqtt: { readonly url: string; readonly username: string | undefined; readonly password: string | undefined; readonly clientId: string; readonly shareGroup: string } | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid Careline configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const KNOWN_KEYS = new Set(Object.keys(ZRawConfig.shape));
/** Settings whose values are never echoed in an error (they are, or may hold, secrets). */
const SECRET_KEYS = new Set(['DATABASE_URL', 'CARELINE_METRICS_TOKEN', 'CARELINE_SMTP_URL', 'CARELINE_MQTT_URL', 'CARELINE_MQTT_PASSWORD', 'CARELINE_TURN_SECRET']);

function parseTrustProxy(raw: string | undefined): TrustProxy {
  if (raw === undefined) return false;
  const v = raw.trim();
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`CARELINE_CONFIG_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError([`CARELINE_CONFIG_FILE: ${file} is not valid JSON`]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([`CARELINE_CONFIG_FILE: ${file} must hold a JSON object of settings`]);
  }
  const unknownKeys = Object.keys(parsed).filter((k) => !KNOWN_KEYS.has(k));
  if (unknownKeys.length > 0) {
    throw new ConfigError(unknownKeys.map((k) => `${k} (in ${file}): not a Careline setting`));
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
}

/** Reads and validates configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): CarelineConfig {
  const fromFile = env.CARELINE_CONFIG_FILE ? readConfigFile(path.resolve(cwd, env.CARELINE_CONFIG_FILE)) : {};
  const fromEnv = Object.fromEntries(Object.entries(env).filter(([k, v]) => KNOWN_KEYS.has(k) && v !== undefined));
  const result = ZRawConfig.safeParse({ ...fromFile, ...fromEnv });
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => {
        const key = String(i.path[0] ?? 'config');
        // Never echo the value of a secret back, even when it is wrong.
        const shown = SECRET_KEYS.has(key) ? '' : formatValue({ ...fromFile, ...fromEnv }[key]);
        return `${key}: ${i.message}${shown}`;
      }),
    );
  }
  const c = result.data;
  const dataDir = path.resolve(cwd, c.CARELINE_DATA_DIR);
  return {
    host: c.CARELINE_HOST,
    port: c.CARELINE_PORT,
    publicUrl: c.CARELINE_PUBLIC_URL,
    dataDir,
    database: c.DATABASE_URL
      ? { kind: 'postgres', url: c.DATABASE_URL, poolMax: c.CARELINE_DB_POOL_MAX }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pg') },
    acceptUnsafeDurability: c.CARELINE_ACCEPT_UNSAFE_DURABILITY,
    logLevel: c.CARELINE_LOG_LEVEL,
    trustProxy: parseTrustProxy(c.CARELINE_TRUST_PROXY),
    tls: c.CARELINE_TLS_CERT_FILE && c.CARELINE_TLS_KEY_FILE
      ? { certFile: path.resolve(cwd, c.CARELINE_TLS_CERT_FILE), keyFile: path.resolve(cwd, c.CARELINE_TLS_KEY_FILE) }
      : undefined,
    bodyLimitBytes: c.CARELINE_BODY_LIMIT_BYTES,
    rateLimit: { max: c.CARELINE_RATE_LIMIT_MAX, windowMs: c.CARELINE_RATE_LIMIT_WINDOW_MS },
    corsOrigins: (c.CARELINE_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    metrics: { token: c.CARELINE_METRICS_TOKEN, port: c.CARELINE_METRICS_PORT },
    shutdownTimeoutMs: c.CARELINE_SHUTDOWN_TIMEOUT_MS,
    readyTimeoutMs: c.CARELINE_READY_TIMEOUT_MS,
    jobs: c.CARELINE_JOBS,
    enableTestChannel: c.CARELINE_ENABLE_TEST_CHANNEL,
    insecureOpenFhir: c.CARELINE_INSECURE_OPEN_FHIR,
    subscriptionAllowedHosts: (c.CARELINE_SUBSCRIPTION_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter((h) => h.length > 0),
    session: {
      idleTimeoutSeconds: c.CARELINE_SESSION_IDLE_TIMEOUT_S,
      absoluteTimeoutSeconds: c.CARELINE_SESSION_ABSOLUTE_TIMEOUT_S,
      clientTokenTtlSeconds: c.CARELINE_CLIENT_TOKEN_TTL_S,
    },
    mail: { smtpUrl: c.CARELINE_SMTP_URL, from: c.CARELINE_MAIL_FROM },
    passwordHash: { memoryKib: c.CARELINE_PASSWORD_HASH_MEMORY_KIB, timeCost: c.CARELINE_PASSWORD_HASH_TIME_COST },
    authRateLimit: { max: c.CARELINE_AUTH_RATE_LIMIT_MAX, windowMs: c.CARELINE_AUTH_RATE_LIMIT_WINDOW_MS },
    breakGlassHours: c.CARELINE_BREAK_GLASS_HOURS,
    alertEscalationMinutes: c.CARELINE_ALERT_ESCALATION_MINUTES,
    video: {
      stunUrls: listOf(c.CARELINE_STUN_URLS),
      turnUrls: listOf(c.CARELINE_TURN_URLS),
      turnSecret: c.CARELINE_TURN_SECRET,
      iceTransportPolicy: c.CARELINE_ICE_TRANSPORT_POLICY,
      joinEarlyMinutes: c.CARELINE_VISIT_JOIN_EARLY_MINUTES,
      joinLateMinutes: c.CARELINE_VISIT_JOIN_LATE_MINUTES,
    },
    mqtt: c.CARELINE_MQTT_URL
      ? {
          url: c.CARELINE_MQTT_URL,
          username: c.CARELINE_MQTT_USERNAME,
          password: c.CARELINE_MQTT_PASSWORD,
          clientId: c.CARELINE_MQTT_CLIENT_ID ?? `careline-${hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 55)}`,
          shareGroup: c.CARELINE_MQTT_SHARE_GROUP,
        }
      : undefined,
  };
}

function listOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function formatValue(v: unknown): string {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return ` (got ${JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s)})`;
}

/** The effective configuration with secrets masked, for `careline doctor` and start-up logs. */
export function describeConfig(c: CarelineConfig): Record<string, unknown> {
  return {
    host: c.host,
    port: c.port,
    publicUrl: c.publicUrl ?? null,
    dataDir: c.dataDir,
    database: c.database.kind === 'postgres' ? { kind: 'postgres', url: redactUrl(c.database.url), poolMax: c.database.poolMax } : c.database,
    acceptUnsafeDurability: c.acceptUnsafeDurability,
    logLevel: c.logLevel,
    trustProxy: c.trustProxy,
    tls: c.tls ?? null,
    bodyLimitBytes: c.bodyLimitBytes,
    rateLimit: c.rateLimit,
    corsOrigins: c.corsOrigins,
    metrics: { token: c.metrics.token ? '***' : null, port: c.metrics.port ?? null },
    shutdownTimeoutMs: c.shutdownTimeoutMs,
    readyTimeoutMs: c.readyTimeoutMs,
    jobs: c.jobs,
    enableTestChannel: c.enableTestChannel,
    insecureOpenFhir: c.insecureOpenFhir,
    subscriptionAllowedHosts: c.subscriptionAllowedHosts,
    session: c.session,
    mail: { smtpUrl: c.mail.smtpUrl ? redactUrl(c.mail.smtpUrl) : null, from: c.mail.from },
    passwordHash: c.passwordHash,
    authRateLimit: c.authRateLimit,
    breakGlassHours: c.breakGlassHours,
    alertEscalationMinutes: c.alertEscalationMinutes,
    video: { ...c.video, turnSecret: c.video.turnSecret ? '***' : null },
    mqtt: c.mqtt ? { url: redactUrl(c.mqtt.url), username: c.mqtt.username ?? null, password: c.mqtt.password ? '***' : null, clientId: c.mqtt.clientId, shareGroup: c.mqtt.shareGroup } : null,
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://***';
  }
}
