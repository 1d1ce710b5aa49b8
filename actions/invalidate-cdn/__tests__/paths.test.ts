import { ConfigError } from '@shipyard/platform/errors';
import {
  covers,
  directoryIndexForms,
  dropCovered,
  encodePath,
  MAX_PATH_LENGTH,
  normalisePath,
  normalisePaths,
  type PathKind,
} from '../src/paths';

describe('normalisePath', () => {
  test.each<[string, PathKind, string]>([
    ['/index.html', 'url', '/index.html'],
    ['index.html', 'url', '/index.html'],
    ['  /app.js  ', 'url', '/app.js'],
    ['/images/*', 'url', '/images/*'],
    ['/*', 'url', '/*'],
    ['*', 'url', '/*'],
    ['/images/logo*', 'url', '/images/logo*'],
    ['/my file.html', 'url', '/my%20file.html'],
    ['/café.html', 'url', '/caf%C3%A9.html'],
    ['/caf%C3%A9.html', 'url', '/caf%C3%A9.html'],
    ['/100%.html', 'url', '/100%25.html'],
    ['/a#b', 'url', '/a%23b'],
    ['/a"<>{}|\\^[]`b', 'url', '/a%22%3C%3E%7B%7D%7C%5C%5E%5B%5D%60b'],
    ['/~user/a.js', 'url', '/~user/a.js'],
    ['/img.jpg?size=2&v=1', 'url', '/img.jpg?size=2&v=1'],
    ["/a;b,c=d@e$f+g:h!'()", 'url', "/a;b,c=d@e$f+g:h!'()"],
    ['/tab\there', 'url', '/tab%09here'],
    ['/snow☃/*', 'url', '/snow%E2%98%83/*'],
    ['/emoji😀.png', 'url', '/emoji%F0%9F%98%80.png'],
    ['/100%.html', 'file', '/100%25.html'],
    ['/caf%C3%A9.html', 'file', '/caf%25C3%25A9.html'],
    ['/what?.html', 'file', '/what%3F.html'],
    ['/a*b.png', 'file', '/a*'],
    ['/dir/*star*.png', 'file', '/dir/*'],
    ['/my file*.png', 'file', '/my%20file*'],
  ])('%j (%s) → %j', (raw, kind, expected) => {
    expect(normalisePath(raw, kind)).toBe(expected);
  });

  test.each<[string, string]>([
    [
      '/a*b',
      'Path "/a*b" has a "*" before its end: CloudFront accepts the wildcard only as the last character (e.g. "/images/*").',
    ],
    [
      '/**',
      'Path "/**" has a "*" before its end: CloudFront accepts the wildcard only as the last character (e.g. "/images/*").',
    ],
    [
      'https://example.com/a.js',
      'Path "https://example.com/a.js" is a full URL: give only the path after the domain (e.g. "/app.js").',
    ],
  ])('rejects %j', (raw, message) => {
    expect(() => normalisePath(raw, 'url')).toThrow(new ConfigError(message));
  });

  test('accepts a path of exactly the maximum length and rejects one character more, counted once encoded', () => {
    const longest = `/${'a'.repeat(MAX_PATH_LENGTH - 1)}`;
    expect(normalisePath(longest, 'url')).toBe(longest);
    expect(() => normalisePath(`${longest}b`, 'url')).toThrow(
      new ConfigError(
        `Path "/${'a'.repeat(78)}…" is 4,001 characters long once encoded; CloudFront accepts at most 4,000.`,
      ),
    );
    // 1,402 characters as written, 4,200 once each space becomes %20.
    expect(() => normalisePath(`/a${' '.repeat(1_399)}b`, 'url')).toThrow(/is 4,200 characters long once encoded/);
  });

  test('rejects a lone surrogate instead of sending malformed UTF-8', () => {
    expect(() => encodePath('/a\ud800b', 'url')).toThrow(/not valid Unicode \(a lone surrogate at offset 2\)/);
  });

  test('encoding is idempotent for URL paths', () => {
    const once = normalisePath('/a b/café %zz %41.html', 'url');
    expect(once).toBe('/a%20b/caf%C3%A9%20%25zz%20%41.html');
    expect(normalisePath(once, 'url')).toBe(once);
  });
});

describe('directoryIndexForms', () => {
  test.each<[string, string[]]>([
    ['/docs/index.html', ['/docs/', '/docs']],
    ['/docs/', ['/docs/index.html', '/docs']],
    ['/index.html', ['/']],
    ['/', ['/index.html']],
    ['/docs/guide.html', []],
    ['/docs', []],
    ['/docs/*', []],
    ['/docs/myindex.html', []],
  ])('%j → %j', (path, forms) => {
    expect(directoryIndexForms(path, 'index.html')).toEqual(forms);
  });
});

describe('covers', () => {
  test.each<[string, string, boolean]>([
    ['/images/*', '/images/a.png', true],
    ['/images/*', '/images/', true],
    ['/images/*', '/images', false],
    ['/images*', '/images', true],
    ['/images*', '/images-old/a.png', true],
    ['/*', '/anything', true],
    ['/images/a.png', '/images/a.png', false],
  ])('%j covers %j: %s', (wildcard, path, expected) => {
    expect(covers(wildcard, path)).toBe(expected);
  });
});

describe('dropCovered', () => {
  test.each<[string[], string[]]>([
    [
      ['/b', '/a', '/b'],
      ['/a', '/b'],
    ],
    [
      ['/img/a.png', '/img/*', '/index.html'],
      ['/img/*', '/index.html'],
    ],
    [
      ['/img/*', '/img/icons/*', '/img/icons/x.svg', '/imgs/a'],
      ['/img/*', '/imgs/a'],
    ],
    [
      ['/img*', '/img/*', '/imgs/a', '/im'],
      ['/im', '/img*'],
    ],
    [['/*', '/a', '/b/*'], ['/*']],
    // `!` sorts before `*`: the covered wildcard must still go.
    [['/a!/*', '/a*', '/a!b'], ['/a*']],
    [
      ['/a/*', '/b', '/a'],
      ['/a', '/a/*', '/b'],
    ],
  ])('%j → %j', (paths, expected) => {
    expect(dropCovered(paths)).toEqual(expected);
  });
});

describe('normalisePaths', () => {
  test('merges sources, expands directory indexes, de-duplicates and drops covered paths', () => {
    const paths = normalisePaths(
      [
        { kind: 'url', paths: ['/docs/index.html', 'assets/*', ''] },
        { kind: 'file', paths: ['/assets/app.js', '/docs/index.html', '/blog/post 1/index.html'] },
      ],
      { directoryIndex: 'index.html' },
    );
    expect(paths).toEqual([
      '/assets/*',
      '/blog/post%201',
      '/blog/post%201/',
      '/blog/post%201/index.html',
      '/docs',
      '/docs/',
      '/docs/index.html',
    ]);
  });

  test('leaves index paths alone unless asked', () => {
    expect(normalisePaths([{ kind: 'url', paths: ['/docs/index.html'] }])).toEqual(['/docs/index.html']);
  });

  test('reports every invalid path at once, the first in the first line', () => {
    const attempt = () => normalisePaths([{ kind: 'url', paths: ['/ok', '/a*b', `/${'x'.repeat(4_000)}`] }]);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      new ConfigError(
        '2 invalid paths; the first: Path "/a*b" has a "*" before its end: CloudFront accepts the wildcard only as the ' +
          'last character (e.g. "/images/*").\n' +
          'Path "/a*b" has a "*" before its end: CloudFront accepts the wildcard only as the last character (e.g. ' +
          `"/images/*").\nPath "/${'x'.repeat(78)}…" is 4,001 characters long once encoded; CloudFront accepts at most 4,000.`,
      ),
    );
  });
});
