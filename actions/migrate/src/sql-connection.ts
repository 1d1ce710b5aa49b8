import { ConfigError } from '@shipyard/platform/errors';
import { Input } from './constants';

// How psql finds the database: DATABASE_URL when set, else the PG* variables psql reads itself. A password never
// goes on psql's command line (any local user can read it there, in `ps`): it is taken out of the URL and handed
// over as PGPASSWORD.

const URL_SCHEME = /^(postgres(?:ql)?:\/\/)(.*)$/s;
const CONNECTION_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGSERVICE', 'PGDATABASE'];

export interface PsqlConnection {
  /** `--dbname=<DATABASE_URL without its password>`, or nothing (the PG* variables). */
  args: string[];
  /** The command environment plus PGPASSWORD from the URL and defaults for PGAPPNAME and PGCONNECT_TIMEOUT. */
  env: Record<string, string | undefined>;
  /** The password taken from the URL, to be masked in the log. */
  password?: string;
}

function decode(part: string, what: string, origin: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ConfigError(`DATABASE_URL (${origin}) has a malformed %-escape in its ${what}; its value is not shown.`);
  }
}

/**
 * Splits a libpq connection URI into the URI without a password and the password, read the way libpq reads it:
 * credentials before the first `@` that comes before any `/`, and a `password` query parameter overriding them.
 */
export function splitDatabaseUrl(url: string, origin: string): { url: string; password?: string } {
  const match = URL_SCHEME.exec(url.trim());
  if (!match) {
    throw new ConfigError(
      `DATABASE_URL (${origin}) must be a postgres:// or postgresql:// URL for psql; its value is not shown, since ` +
        'it may hold a password.',
    );
  }
  const [, scheme, rest] = match;
  const end = rest.search(/[@/]/);
  const hasUser = end >= 0 && rest[end] === '@';
  const userinfo = hasUser ? rest.slice(0, end) : '';
  const afterUser = hasUser ? rest.slice(end + 1) : rest;
  const colon = userinfo.indexOf(':');
  const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  let password = colon >= 0 ? decode(userinfo.slice(colon + 1), 'password', origin) : undefined;
  const question = afterUser.indexOf('?');
  const base = question >= 0 ? afterUser.slice(0, question) : afterUser;
  const params = question >= 0 ? afterUser.slice(question + 1).split('&') : [];
  const kept = params.filter((param) => {
    if (!param.startsWith('password=')) return true;
    password = decode(param.slice('password='.length), 'password parameter', origin);
    return false;
  });
  const query = kept.filter(Boolean).length > 0 ? `?${kept.filter(Boolean).join('&')}` : '';
  return { url: `${scheme}${user ? `${user}@` : ''}${base}${query}`, password: password || undefined };
}

/**
 * How psql connects, from the command environment (the step's env and `environment-variables`). Throws a
 * ConfigError when neither DATABASE_URL nor a PG* variable names a database: psql would try a local socket.
 */
export function psqlConnection(env: Record<string, string | undefined>, fromInput: boolean): PsqlConnection {
  const origin = fromInput ? `from "${Input.EnvironmentVariables}"` : "from the step's env";
  const defaults = { PGAPPNAME: env.PGAPPNAME || 'shipyard-migrate', PGCONNECT_TIMEOUT: env.PGCONNECT_TIMEOUT || '30' };
  if (env.DATABASE_URL?.trim()) {
    const { url, password } = splitDatabaseUrl(env.DATABASE_URL, origin);
    const passwordEnv = password === undefined ? {} : { PGPASSWORD: password };
    return { args: [`--dbname=${url}`], env: { ...env, ...defaults, ...passwordEnv }, password };
  }
  if (!CONNECTION_VARIABLES.some((name) => env[name]?.trim())) {
    throw new ConfigError(
      `Input "${Input.SqlDirectory}" needs a database to connect to: set DATABASE_URL (postgresql://…) or the ` +
        `variables psql reads (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, …) in "${Input.EnvironmentVariables}" ` +
        "or the step's env.",
    );
  }
  return { args: [], env: { ...env, ...defaults } };
}
