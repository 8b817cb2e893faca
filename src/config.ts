import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseFrameAncestors } from './http/frame-origins';

/** Every setting comes from the environment, is validated here once, and is passed down as plain data. */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce
      .number({ invalid_type_error: 'must be a whole number from 0 to 65535' })
      .int('must be a whole number from 0 to 65535')
      .min(0)
      .max(65535)
      .default(3000),
    PUBLIC_URL: z.string().url().optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
    LTI_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    LTI_AUTO_ACTIVATE: booleanFlag.default('false'),
    INSTALLERS: z.string().optional(),
    OUTBOUND_ALLOWED_ORIGINS: z.string().optional(),
    OUTBOUND_LOOPBACK: booleanFlag.optional(),
    REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
    PENDING_REGISTRATIONS_MAX: z.coerce.number().int().min(1).max(10_000).default(20),
    SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(8),
    TRUST_PROXY: z.string().default('false'),
    FRAME_ANCESTORS: z.string().optional(),
    UPLOAD_LIMIT_MB: z.coerce.number().positive().max(1024).default(20),
    STORAGE_QUOTA_MB: z.coerce.number().positive().max(1024 * 1024).default(200),
    CPD_PERIOD_MONTHS: z.coerce.number().int('must be a whole number of months from 1 to 12').min(1, 'must be a whole number of months from 1 to 12').max(12, 'must be a whole number of months from 1 to 12').default(2),
    MANDATORY_TRAINING_FILE: z.string().min(1).optional(),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().default('CMALT Portfolio <no-reply@localhost>'),
    PRACTICE_VLE: z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no']).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  });

/** Rules across settings, checked on the raw environment so they are listed even when other settings are wrong. */
function productionProblems(env: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!env.LTI_KEY) problems.push('LTI_KEY is required when NODE_ENV=production');
  if (!env.PUBLIC_URL) problems.push('PUBLIC_URL is required when NODE_ENV=production');
  // The practice VLE signs launches with a key kept on disk: it must never be reachable on a real service.
  if (env.PRACTICE_VLE && isOn(env.PRACTICE_VLE)) problems.push('PRACTICE_VLE cannot be on when NODE_ENV=production');
  if (/^(true|1|yes)$/.test(env.LTI_AUTO_ACTIVATE ?? '')) {
    problems.push('LTI_AUTO_ACTIVATE=true lets anyone who can reach the tool register a VLE that launches at once; it is refused when NODE_ENV=production');
  }
  if (/^(true|1|yes)$/.test(env.OUTBOUND_LOOPBACK ?? '')) {
    problems.push('OUTBOUND_LOOPBACK=true is refused when NODE_ENV=production: list a VLE on this machine in OUTBOUND_ALLOWED_ORIGINS instead');
  }
  return problems;
}

/**
 * INSTALLERS: the people, by VLE identity, who may run the whole tool after a launch: entries separated by
 * commas or new lines, each "issuer sub" (the VLE's issuer URL, a space, the person's LTI user id).
 */
export function parseInstallers(raw: string | undefined): { installers: Array<{ issuer: string; sub: string }>; bad: string[] } {
  const entries = (raw ?? '').split(/[,\n]+/).map((e) => e.trim()).filter(Boolean);
  const installers: Array<{ issuer: string; sub: string }> = [];
  const bad: string[] = [];
  for (const entry of entries) {
    const m = /^(https?:\/\/\S+)\s+(\S.*)$/.exec(entry);
    if (m) installers.push({ issuer: m[1], sub: m[2].trim() });
    else bad.push(entry);
  }
  return { installers, bad };
}

/** OUTBOUND_ALLOWED_ORIGINS: exact origins (scheme://host:port) on private addresses the tool may call. */
export function parseOutboundOrigins(raw: string | undefined): { origins: string[]; bad: string[] } {
  const origins: string[] = [];
  const bad: string[] = [];
  for (const entry of (raw ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      const url = new URL(entry);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) throw new Error('not an origin');
      origins.push(url.origin);
    } catch {
      bad.push(entry);
    }
  }
  return { origins, bad };
}

function listProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const installers = parseInstallers(env.INSTALLERS).bad;
  if (installers.length) problems.push(`INSTALLERS has entries that are not "issuer sub" pairs such as "https://moodle.school.ac.uk 42": ${installers.join(', ')}`);
  const outbound = parseOutboundOrigins(env.OUTBOUND_ALLOWED_ORIGINS).bad;
  if (outbound.length) problems.push(`OUTBOUND_ALLOWED_ORIGINS has entries that are not origins such as https://vle.campus.ac.uk:8443: ${outbound.join(', ')}`);
  return problems;
}

function frameAncestorProblems(env: Record<string, string | undefined>): string[] {
  const { bad } = parseFrameAncestors(env.FRAME_ANCESTORS);
  return bad.length ? [`FRAME_ANCESTORS has entries that are not origins such as https://canvas.school.ac.uk or https://*.school.ac.uk: ${bad.join(', ')}`] : [];
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  publicUrl: string;
  dataDir: string;
  mongodbUri?: string; // unset = embedded engine
  ltiKey: string;
  ltiKeyGenerated: boolean;
  adminToken?: string;
  ltiAutoActivate: boolean;
  /** People (issuer + sub) whose launch signs them in as the installer of the whole tool; see docs/security.md. */
  installers: Array<{ issuer: string; sub: string }>;
  /** What the guarded client (src/vle/guarded-fetch.ts) may reach beyond the public internet. */
  outbound: { allowedOrigins: string[]; loopback: boolean };
  /** Dynamic registration: attempts per client address per hour, and how many may wait inactive at once. */
  registration: { perHour: number; pendingMax: number };
  sessionMaxAgeMs: number;
  trustProxy: boolean | number | string;
  /** Extra origins that may frame the tool (an institution's own domain for a hosted Canvas or Blackboard). */
  frameAncestors: string[];
  uploadLimitBytes: number;
  /** What one person's evidence files may take up in all, across their courses. */
  storageQuotaBytes: number;
  /** How many months each CPD submission period lasts (the policy's bi-monthly log: 2). */
  cpdPeriodMonths: number;
  /** The institution's mandatory training list (validated when the tool starts); unset = config/mandatory-training.json. */
  mandatoryTrainingFile?: string;
  smtpUrl?: string;
  mailFrom: string;
  logLevel: string;
  /** The built-in practice VLE (issue 18): on by default outside production, never in production. */
  practiceVle: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(blankAsUnset);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`)),
    ...productionProblems(blankAsUnset),
    ...frameAncestorProblems(blankAsUnset),
    ...listProblems(blankAsUnset),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const key = e.LTI_KEY ? { value: e.LTI_KEY, generated: false } : developmentKey(dataDir);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const practiceVle = e.NODE_ENV !== 'production' && (e.PRACTICE_VLE === undefined || isOn(e.PRACTICE_VLE));
  const allowedOrigins = parseOutboundOrigins(e.OUTBOUND_ALLOWED_ORIGINS).origins;
  // the practice VLE is served by the tool itself: the tool calls exactly its own origin for AGS, NRPS and keys
  if (practiceVle) allowedOrigins.push(new URL(publicUrl).origin);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    publicUrl,
    dataDir,
    mongodbUri: e.MONGODB_URI,
    ltiKey: key.value,
    ltiKeyGenerated: key.generated,
    adminToken: e.ADMIN_TOKEN,
    ltiAutoActivate: e.LTI_AUTO_ACTIVATE,
    installers: parseInstallers(e.INSTALLERS).installers,
    // a laptop trial reaches a VLE on this machine; tests and production list each private origin
    registration: { perHour: e.REGISTRATIONS_PER_HOUR, pendingMax: e.PENDING_REGISTRATIONS_MAX },
    outbound: { allowedOrigins, loopback: e.OUTBOUND_LOOPBACK ?? e.NODE_ENV === 'development' },
    sessionMaxAgeMs: e.SESSION_MAX_AGE_HOURS * 3600_000,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    frameAncestors: parseFrameAncestors(e.FRAME_ANCESTORS).origins,
    uploadLimitBytes: Math.round(e.UPLOAD_LIMIT_MB * 1024 * 1024),
    storageQuotaBytes: Math.round(e.STORAGE_QUOTA_MB * 1024 * 1024),
    cpdPeriodMonths: e.CPD_PERIOD_MONTHS,
    mandatoryTrainingFile: e.MANDATORY_TRAINING_FILE ? path.resolve(e.MANDATORY_TRAINING_FILE) : undefined,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    practiceVle,
  };
}

/** Outside production a missing LTI_KEY is generated once and kept in DATA_DIR, so restarts keep sessions valid. */
function developmentKey(dataDir: string): { value: string; generated: boolean } {
  const file = path.join(dataDir, 'lti-key');
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), generated: true };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // it will hold the database and keys: the tool's user only
  const value = randomBytes(32).toString('hex');
  writeFileSync(file, value, { mode: 0o600 });
  return { value, generated: true };
}

function isOn(raw: string): boolean {
  return ['on', 'true', '1', 'yes'].includes(raw);
}

function parseTrustProxy(raw: string): boolean | number | string {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw; // an Express trust-proxy list such as "loopback, 10.0.0.0/8"
}
