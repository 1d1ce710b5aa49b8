import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@shipyard/platform/errors';
import {
  parseDirectoryIndex,
  parseDistributions,
  parseLines,
  parseScope,
  parseUrlPath,
  readInputs,
  type DistributionRef,
} from '../src/inputs';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

const tempDir = tempDirs();

describe('URL path prefixes and the directory index', () => {
  test.each([
    ['', '/'],
    ['/app', '/app'],
    ['/caf%C3%A9/', '/caf%C3%A9/'],
  ])('url-prefix %j → %j', (raw, expected) => expect(parseUrlPath('url-prefix', raw, '/')).toBe(expected));

  test.each(['{}', '/a b', '/../x', '/%zz', '/x\u0007', '/'.repeat(1025)])('url-prefix %j is refused', (raw) => {
    expect(() => parseUrlPath('url-prefix', raw, '/')).toThrow(/^Input "url-prefix" must be a URL path such as \/app/);
  });

  test.each(['index.html', 'default.htm'])('directory-index %j', (raw) => {
    expect(parseDirectoryIndex('directory-index', raw)).toBe(raw);
  });

  test.each(['docs/index.html', '..', 'a\u001bb', 'in dex.html'])('directory-index %j is refused', (raw) => {
    expect(() => parseDirectoryIndex('directory-index', raw)).toThrow(
      /^Input "directory-index" must be a file name such as "index.html"/,
    );
  });
});

describe('parseDistributions', () => {
  test.each<[string[], DistributionRef[]]>([
    [['E2QWRUHAPOMQZL'], [{ kind: 'id', id: 'E2QWRUHAPOMQZL' }]],
    [['www.Example.com.'], [{ kind: 'domain', domain: 'www.example.com' }]],
    [['d111111abcdef8.cloudfront.net'], [{ kind: 'domain', domain: 'd111111abcdef8.cloudfront.net' }]],
    [
      ['E2QWRUHAPOMQZL', 'E2QWRUHAPOMQZL', 'cdn.example.com'],
      [
        { kind: 'id', id: 'E2QWRUHAPOMQZL' },
        { kind: 'domain', domain: 'cdn.example.com' },
      ],
    ],
  ])('%j', (items, expected) => {
    expect(parseDistributions('distributions', items)).toEqual(expected);
  });

  test.each<[string[], string]>([
    [[], 'Input "distributions" is required but was empty or not set.'],
    [
      ['e2qwruhapomqzl'],
      'Input "distributions" has "e2qwruhapomqzl", which is neither a distribution id (like "E2QWRUHAPOMQZL") nor a ' +
        'domain name (an alias like "www.example.com" or "d111111abcdef8.cloudfront.net").',
    ],
    [['https://www.example.com/'], 'Input "distributions" has "https://www.example.com/", which is neither'],
  ])('rejects %j', (items, message) => {
    expect(() => parseDistributions('distributions', items)).toThrow(ConfigError);
    expect(() => parseDistributions('distributions', items)).toThrow(message);
  });
});

describe('parseScope', () => {
  test.each([
    ['', 'run'],
    ['run', 'run'],
    [' attempt ', 'attempt'],
  ])('%j → %s', (raw, expected) => {
    expect(parseScope('idempotency-scope', raw)).toBe(expected);
  });

  test('rejects anything else', () => {
    expect(() => parseScope('idempotency-scope', 'job')).toThrow(
      new ConfigError('Input "idempotency-scope" must be "run" or "attempt", got "job".'),
    );
  });
});

describe('parseLines', () => {
  test('splits on lines only, so commas stay in paths', () => {
    expect(parseLines('/a,b.html\r\n\n  # comment\n /c  ')).toEqual(['/a,b.html', '/c']);
  });
});

describe('readInputs', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const setInputs = (inputs: Record<string, string>) => {
    for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  };

  test('combines explicit paths and changed files read from a file in the workspace', () => {
    const workspace = tempDir('invalidate-cdn-');
    writeFileSync(join(workspace, 'sync.log'), 'upload: dist/app.js to s3://site/app.js\ndelete: s3://site/old.js\n');
    process.env.GITHUB_WORKSPACE = workspace;
    setInputs({
      distributions: 'E2QWRUHAPOMQZL\nwww.example.com',
      paths: '/docs/index.html',
      'changed-files': 'dist/css/site.css\nsrc/main.ts',
      'changed-files-file': 'sync.log',
      'files-root': 'dist',
      'directory-index': 'index.html',
      'path-budget': '500',
      wait: 'false',
      timeout: '5m',
      'idempotency-scope': 'attempt',
    });
    const inputs = readInputs();
    expect(inputs).toMatchObject({
      distributions: [
        { kind: 'id', id: 'E2QWRUHAPOMQZL' },
        { kind: 'domain', domain: 'www.example.com' },
      ],
      requested: ['/app.js', '/css/site.css', '/docs', '/docs/', '/docs/index.html', '/old.js'],
      costMode: true,
      pathBudget: 500,
      wait: false,
      timeoutMs: 300_000,
      scope: 'attempt',
    });
    expect(inputs.changes?.ignored).toEqual(['src/main.ts']);
  });

  test('defaults', () => {
    setInputs({ distributions: 'E2QWRUHAPOMQZL', paths: '/*' });
    expect(readInputs()).toEqual({
      distributions: [{ kind: 'id', id: 'E2QWRUHAPOMQZL' }],
      requested: ['/*'],
      changes: undefined,
      costMode: true,
      pathBudget: 1_000,
      wait: true,
      timeoutMs: 900_000,
      scope: 'run',
    });
  });

  test.each<[Record<string, string>, string | RegExp]>([
    [{ paths: '/a*b' }, 'Path "/a*b" has a "*" before its end'],
    [
      { 'changed-files-file': 'missing.txt' },
      'Input "changed-files-file" names "missing.txt", which is not a file in the workspace.',
    ],
    [{ paths: '/a', 'path-budget': '0' }, 'Input "path-budget" must be a whole number of at least 1, got "0".'],
    [{ paths: '/a', 'directory-index': 'docs/index.html' }, 'Input "directory-index" must be a file name'],
  ])('rejects %j', (inputs, message) => {
    process.env.GITHUB_WORKSPACE = tempDir('invalidate-cdn-');
    setInputs({ distributions: 'E2QWRUHAPOMQZL', ...inputs });
    expect(() => readInputs()).toThrow(ConfigError);
    expect(() => readInputs()).toThrow(message);
  });
});
