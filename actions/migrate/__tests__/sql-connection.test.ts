import { ConfigError } from '@shipyard/platform/errors';
import { psqlConnection, splitDatabaseUrl } from '../src/sql-connection';

describe('splitDatabaseUrl', () => {
  test.each([
    ['postgres://app:s3cret@db.internal:5432/fsp', 'postgres://app@db.internal:5432/fsp', 's3cret'],
    ['postgresql://app:p%40ss%3Aw%2Frd@db/fsp?sslmode=require', 'postgresql://app@db/fsp?sslmode=require', 'p@ss:w/rd'],
    ['postgresql://app@db/fsp', 'postgresql://app@db/fsp', undefined],
    [
      'postgresql://db/fsp?user=app&password=x%26y&sslmode=verify-full',
      'postgresql://db/fsp?user=app&sslmode=verify-full',
      'x&y',
    ],
    ['postgresql://app:url@db/fsp?password=query', 'postgresql://app@db/fsp', 'query'],
    ['postgresql://app:@db/fsp', 'postgresql://app@db/fsp', undefined],
    ['postgresql://:only@db/fsp', 'postgresql://db/fsp', 'only'],
    [
      'postgresql://a:b@h1:5432,h2:5433/fsp?target_session_attrs=read-write',
      'postgresql://a@h1:5432,h2:5433/fsp?target_session_attrs=read-write',
      'b',
    ],
    ['postgresql:///fsp?host=/var/run/postgresql', 'postgresql:///fsp?host=/var/run/postgresql', undefined],
    ['postgresql://db/path@with-at', 'postgresql://db/path@with-at', undefined],
  ])('%s → %s', (url, withoutPassword, password) => {
    expect(splitDatabaseUrl(url, 'here')).toEqual({ url: withoutPassword, password });
  });

  test.each(['mysql://app:secret@db/x', 'db.internal:5432', 'host=db password=secret', ''])(
    '%j is refused without showing it',
    (url) => {
      const split = () => splitDatabaseUrl(url, 'from "environment-variables"');
      expect(split).toThrow(ConfigError);
      expect(split).toThrow(
        'DATABASE_URL (from "environment-variables") must be a postgres:// or postgresql:// URL for psql; its value is not shown',
      );
      if (url) expect(split).not.toThrow(url);
    },
  );

  test('a malformed escape in the password is refused without showing it', () => {
    expect(() => splitDatabaseUrl('postgres://app:100%zz@db/x', 'o')).toThrow(
      'DATABASE_URL (o) has a malformed %-escape in its password; its value is not shown.',
    );
  });
});

describe('psqlConnection', () => {
  test('DATABASE_URL goes to --dbname without its password, which becomes PGPASSWORD', () => {
    const connection = psqlConnection({ DATABASE_URL: 'postgres://app:pw@db/fsp', PATH: '/bin' }, true);
    expect(connection.args).toEqual(['--dbname=postgres://app@db/fsp']);
    expect(connection.env).toMatchObject({
      PGPASSWORD: 'pw',
      PGAPPNAME: 'shipyard-migrate',
      PGCONNECT_TIMEOUT: '30',
      PATH: '/bin',
    });
    expect(connection.password).toBe('pw');
  });

  test("a URL without a password keeps the step's PGPASSWORD; the user's own PGAPPNAME and timeout win", () => {
    const env = { DATABASE_URL: 'postgres://app@db/fsp', PGPASSWORD: 'env', PGAPPNAME: 'fsp', PGCONNECT_TIMEOUT: '5' };
    expect(psqlConnection(env, false).env).toMatchObject({
      PGPASSWORD: 'env',
      PGAPPNAME: 'fsp',
      PGCONNECT_TIMEOUT: '5',
    });
  });

  test.each([{ PGHOST: 'db' }, { PGSERVICE: 'fsp' }, { PGDATABASE: 'fsp' }, { PGHOSTADDR: '10.0.0.5' }])(
    'PG* variables alone are enough: %j',
    (env) => {
      expect(psqlConnection(env, false).args).toEqual([]);
    },
  );

  test('without a database to connect to, the step is refused', () => {
    expect(() => psqlConnection({ PGUSER: 'app', PGPASSWORD: 'x' }, false)).toThrow(
      'Input "sql-directory" needs a database to connect to: set DATABASE_URL',
    );
  });

  test('a bad DATABASE_URL names where it came from', () => {
    expect(() => psqlConnection({ DATABASE_URL: 'mysql://x' }, false)).toThrow("DATABASE_URL (from the step's env)");
  });
});
