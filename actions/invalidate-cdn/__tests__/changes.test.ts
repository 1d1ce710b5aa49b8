import { mapChangedFiles, parseChangeLine, unquoteGitPath, type ChangeMapping } from '../src/changes';

describe('parseChangeLine', () => {
  test.each<[string, ReturnType<typeof parseChangeLine>]>([
    ['dist/app.js', { kind: 'local', path: 'dist/app.js' }],
    ['  dist/app.js  ', { kind: 'local', path: 'dist/app.js' }],
    ['"dist/caf\\303\\251.html"', { kind: 'local', path: 'dist/café.html' }],
    ['upload: dist/app.js to s3://bucket/app.js', { kind: 's3', url: 's3://bucket/app.js' }],
    [
      'upload: dist/go to market.html to s3://bucket/go to market.html',
      { kind: 's3', url: 's3://bucket/go to market.html' },
    ],
    ['(dryrun) upload: dist/a.css to s3://bucket/site/a.css', { kind: 's3', url: 's3://bucket/site/a.css' }],
    ['copy: s3://old/a.png to s3://new/a.png', { kind: 's3', url: 's3://new/a.png' }],
    ['move: dist/b.js to s3://bucket/b.js', { kind: 's3', url: 's3://bucket/b.js' }],
    ['move: s3://bucket/c.js to local/c.js', { kind: 's3', url: 's3://bucket/c.js' }],
    ['delete: s3://bucket/old.js', { kind: 's3', url: 's3://bucket/old.js' }],
    ['(dryrun) delete: s3://bucket/old file.js', { kind: 's3', url: 's3://bucket/old file.js' }],
    ['download: s3://bucket/a.js to local/a.js', undefined],
    ['delete: local/a.js', undefined],
    ['Completed 1.2 MiB/3.4 MiB (2.0 MiB/s) with 3 file(s) remaining', undefined],
    ['warning: Skipping file /tmp/x. File does not exist.', undefined],
    ['fatal error: An error occurred (AccessDenied)', undefined],
    ['', undefined],
    ['# a comment', undefined],
    [
      'upload failed: dist/big.bin to s3://bucket/big.bin An error occurred (RequestTimeout)',
      { kind: 'failed', line: 'upload failed: dist/big.bin to s3://bucket/big.bin An error occurred (RequestTimeout)' },
    ],
  ])('%j', (line, expected) => {
    expect(parseChangeLine(line)).toEqual(expected);
  });
});

describe('unquoteGitPath', () => {
  test.each<[string, string]>([
    ['plain.txt', 'plain.txt'],
    ['"tab\\there"', 'tab\there'],
    ['"quote\\"d"', 'quote"d'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"\\346\\227\\245\\346\\234\\254.html"', '日本.html'],
    ['"', '"'],
  ])('%j → %j', (quoted, expected) => {
    expect(unquoteGitPath(quoted)).toBe(expected);
  });
});

describe('mapChangedFiles', () => {
  const site: ChangeMapping = { filesRoot: 'dist', urlPrefix: '/', originPath: '' };

  test.each<[string, ChangeMapping, string[], string[]]>([
    ['dist/app.js\ndist/css/site.css', site, ['/app.js', '/css/site.css'], []],
    ['./dist/app.js\ndist//img/a.png', site, ['/app.js', '/img/a.png'], []],
    ['src/main.ts\ndist/app.js\nREADME.md', site, ['/app.js'], ['src/main.ts', 'README.md']],
    ['dist/app.js', { ...site, urlPrefix: '/static/' }, ['/static/app.js'], []],
    ['build/app.js', { ...site, filesRoot: './build/' }, ['/app.js'], []],
    ['public/a.html', { ...site, filesRoot: '.' }, ['/public/a.html'], []],
    ['../elsewhere/a.html', { ...site, filesRoot: '' }, [], ['../elsewhere/a.html']],
    ['upload: dist/app.js to s3://bucket/app.js\ndelete: s3://bucket/old.js', site, ['/app.js', '/old.js'], []],
    [
      'upload: dist/app.js to s3://bucket/site/app.js\ndelete: s3://bucket/other/x.js',
      { ...site, originPath: '/site' },
      ['/app.js'],
      ['s3://bucket/other/x.js'],
    ],
    ['dist/a.js\ndist/a.js\nupload: dist/a.js to s3://b/a.js', site, ['/a.js'], []],
  ])('%j', (text, mapping, urlPaths, ignored) => {
    const result = mapChangedFiles(text, mapping);
    expect(result.urlPaths).toEqual(urlPaths);
    expect(result.ignored).toEqual(ignored);
    expect(result.failed).toEqual([]);
  });

  test('reads aws s3 sync output captured with its carriage-return progress lines', () => {
    const output =
      'Completed 256.0 KiB/1.0 MiB (1.1 MiB/s) with 3 file(s) remaining\rupload: dist/index.html to s3://site/index.html\r\n' +
      'Completed 512.0 KiB/1.0 MiB (1.3 MiB/s) with 2 file(s) remaining\rupload: dist/app.js to s3://site/app.js\r\n' +
      'upload failed: dist/big.bin to s3://site/big.bin Connection reset\r\n' +
      'delete: s3://site/old.js\r\n';
    expect(mapChangedFiles(output, site)).toEqual({
      urlPaths: ['/index.html', '/app.js', '/old.js'],
      ignored: [],
      failed: ['upload failed: dist/big.bin to s3://site/big.bin Connection reset'],
    });
  });
});
