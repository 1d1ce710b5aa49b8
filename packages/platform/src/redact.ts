import { createHmac, randomBytes } from 'node:crypto';

// The one place that decides what Shipyard may print. Two rules, each with one home:
// - credential shapes (tokens, keys, URL user-info, `password=` pairs, …) are replaced wherever they appear:
//   core applies redactCredentials to every log line, annotation, group name and output, writeSummary to the
//   job summary;
// - values that may hold a secret whatever they look like (environment values, command arguments, build args)
//   are shown as a fingerprint (`(hidden #1a2b3c4d)`) that tells two values apart, never as the value.

export const REDACTED = '[redacted]';

// Names (of environment variables, `key=value` pairs, JSON keys) whose values are credentials: containing one of
// these words, or one of the short names on its own.
const SENSITIVE_WORDS =
  'SECRET|PASSW(?:OR)?D|PASSPHRASE|TOKEN|API[_-]?KEY|ACCESS[_-]?KEY|ACCOUNT[_-]?KEY|PRIVATE|CREDENTIAL|SIGNATURE|AUTH(?!OR)';
const SENSITIVE_SHORT_NAMES = '-*(?:PWD|PASS|SIG|DSN)';
const SENSITIVE_NAME = new RegExp(`${SENSITIVE_WORDS}|^${SENSITIVE_SHORT_NAMES}$`, 'i');
/** A whole sensitive key inside a text (it only matches such keys, so it never swallows another pair's value). */
const SENSITIVE_KEY = `((?<![A-Za-z0-9_.-])(?:[A-Za-z0-9_.-]*(?:${SENSITIVE_WORDS})[A-Za-z0-9_.-]*|${SENSITIVE_SHORT_NAMES}))`;

/** Whether a name (an environment variable, a `key=` of a pair) says its value is a credential. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** Token formats with a recognisable prefix, matched as whole words. */
const PREFIXED_TOKENS = [
  'gh[pousr]_[A-Za-z0-9]{36,}', // GitHub tokens
  'github_pat_[A-Za-z0-9_]{22,}',
  '(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}', // AWS access key ids
  'xox[abposr]-[A-Za-z0-9-]{10,}', // Slack tokens
  'xapp-[A-Za-z0-9-]{10,}',
  '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}', // Stripe secret and restricted keys
  'whsec_[A-Za-z0-9]{20,}', // Stripe webhook secrets
  'AIza[A-Za-z0-9_-]{35}', // Google API keys
  'npm_[A-Za-z0-9]{36}',
  'glpat-[A-Za-z0-9_-]{20,}', // GitLab
  'SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}', // SendGrid
  'dckr_pat_[A-Za-z0-9_-]{20,}', // Docker Hub
  'hvs\\.[A-Za-z0-9_-]{20,}', // HashiCorp Vault
  'shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}', // Shopify
  'pypi-AgE[A-Za-z0-9_-]{50,}',
  'sk-(?=[A-Za-z0-9_-]*\\d)[A-Za-z0-9_-]{20,}', // OpenAI, Anthropic
  'SK[0-9a-f]{32}', // Twilio API keys
  'key-[0-9a-f]{32}', // Mailgun
  'AGE-SECRET-KEY-1[0-9A-Z]{58}',
  'eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*', // JWTs
];

type Replacer = (match: string, ...groups: string[]) => string;

/** Applied in order; each replacement leaves `[redacted]`, which no later shape matches again. */
const CREDENTIAL_SHAPES: [RegExp, Replacer][] = [
  // PEM private keys (RSA, EC, OPENSSH, PGP, …), to the END line or, cut short, to the end of the text.
  [
    /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    () => REDACTED,
  ],
  // Webhook URLs are their own credential.
  [
    /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g,
    () => `https://hooks.slack.com/${REDACTED}`,
  ],
  [/https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]+\/[A-Za-z0-9_-]+/g, () => REDACTED],
  // URL user-info: `postgres://app:pw@db`, a Sentry DSN's key `https://key@o1.ingest.sentry.io`.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]+@/gi, (_, scheme) => `${scheme}${REDACTED}@`],
  [new RegExp(`(?<![A-Za-z0-9_])(?:${PREFIXED_TOKENS.join('|')})(?![A-Za-z0-9_])`, 'g'), () => REDACTED],
  [/\b((?:Proxy-)?Authorization["']?\s*[:=]\s*["']?)[^\r\n"']+/gi, (_, header) => `${header}${REDACTED}`],
  [/\bBearer\s+(?=\S*\d)[A-Za-z0-9._~+/-]{8,}=*/g, () => `Bearer ${REDACTED}`],
  [/\bBasic\s+([A-Za-z0-9+/]{6,}={0,2})/g, (match, token) => (isBasicCredential(token) ? `Basic ${REDACTED}` : match)],
  // `password=hunter2`, `--token=…`, `?X-Amz-Signature=…`, and JSON `"client_secret": "…"`.
  [
    new RegExp(`${SENSITIVE_KEY}=(?:"[^"\\r\\n]*"|'[^'\\r\\n]*'|[^\\s&,;"'<>]+)`, 'gi'),
    (_, name) => `${name}=${REDACTED}`,
  ],
  [
    new RegExp(`"${SENSITIVE_KEY}"(\\s*:\\s*)"(?:[^"\\\\\\r\\n]|\\\\.)*"`, 'gi'),
    (_, name, colon) => `"${name}"${colon}"${REDACTED}"`,
  ],
  // AWS secret access keys: 40 characters of base64, mixed case and digits (a git SHA is lower-case hex).
  [
    /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g,
    (match) => (looksLikeAwsSecretKey(match) ? REDACTED : match),
  ],
];

/** `Basic` followed by base64 of `user:password` (not the English word followed by another). */
function isBasicCredential(token: string): boolean {
  return Buffer.from(token, 'base64').toString('latin1').includes(':');
}

function looksLikeAwsSecretKey(text: string): boolean {
  return /[A-Z]/.test(text) && /[a-z]/.test(text) && /[0-9]/.test(text) && (text.match(/\//g)?.length ?? 0) <= 3;
}

/** The text with every credential shape replaced by `[redacted]`; everything else unchanged. */
export function redactCredentials(text: string): string {
  let result = text;
  for (const [pattern, replace] of CREDENTIAL_SHAPES) result = result.replace(pattern, replace);
  return result;
}

// An unkeyed hash of a short value (a port, "true", a PIN) is reversed by hashing candidates; a key drawn per run
// makes the fingerprint non-reversible. The price: fingerprints compare only within one run (the before → after of
// a diff, its log lines and summary alike), never across runs.
const RUN_KEY = randomBytes(32);

/** Purposes keep fingerprints apart: the same text as an env value and as a build arg do not match. */
export type FingerprintPurpose = 'env' | 'command' | 'build-arg';

/** 8 hex characters that tell two values apart within this run and reveal nothing about either. */
export function fingerprint(value: string, purpose: FingerprintPurpose): string {
  return createHmac('sha256', RUN_KEY).update(`${purpose}\0${value}`).digest('hex').slice(0, 8);
}

/** How a value that may hold a secret is shown. */
export function hiddenValue(value: string, purpose: FingerprintPurpose): string {
  return `(hidden #${fingerprint(value, purpose)})`;
}

/** Secrets Manager and SSM parameter ARNs name where a secret lives, not the secret: they stay visible. */
export function isSecretReference(value: string): boolean {
  return /^arn:aws[a-z-]*:(?:secretsmanager|ssm):/.test(value);
}

/**
 * An environment value as printed: references as they are; by default a fingerprint; with `showValues` (a team's
 * explicit opt-in) the value itself, still with credential shapes redacted — except under a name that says it
 * holds a credential, which stays hidden.
 */
export function shownEnvValue(name: string, value: string, showValues: boolean): string {
  if (isSecretReference(value)) return JSON.stringify(value);
  if (!showValues || isSensitiveName(name)) return hiddenValue(value, 'env');
  return JSON.stringify(redactCredentials(value));
}

/** A command as printed: the program, and its arguments only as a count and a fingerprint. */
export function describeCommand(argv: string[]): string {
  const [program = '', ...args] = argv;
  if (args.length === 0) return JSON.stringify(program);
  const count = `${args.length} argument${args.length === 1 ? '' : 's'}`;
  return `${JSON.stringify(program)} with ${count} ${hiddenValue(JSON.stringify(args), 'command')}`;
}

const QUOTE_LIMIT = 80;

/** Control characters and invisible format characters (e.g. a right-to-left override): never part of a name. */
export const UNPRINTABLE = /[\p{Cc}\p{Cf}]/u;

/** An input value as error messages may show it: `<redacted>` when it looks like a credential. */
export function printableValue(value: string): string {
  return redactCredentials(value) === value ? value : '<redacted>';
}

/**
 * A value as it appears in an error: JSON-quoted (so blanks and newlines show), cut at 80 characters, and never a
 * credential.
 */
export function quote(value: string): string {
  const printable = printableValue(value);
  if (printable !== value) return printable;
  return JSON.stringify(value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT - 1)}…` : value);
}
