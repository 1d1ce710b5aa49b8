import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ConfigError } from '../src/errors';
import {
  CHECK_INTERVAL_BOUNDS,
  MAX_DURATION_MS,
  parseBoolean,
  parseDuration,
  parseInteger,
  parseList,
  parseMap,
  parseRegion,
  parseString,
  parseText,
  parseStructured,
  quote,
  readBoolean,
  readDuration,
  readInteger,
  readList,
  readMap,
  readString,
  readStructured,
  WAIT_BOUNDS,
} from '../src/inputs';

const KEY_RULE = 'a key starts with a letter or _ and contains only letters, digits, _, . and -.';
const NOT_STRUCTURED = 'must be a JSON or YAML object or list, inline or in a file named by its path';

/** The ConfigError `fn` throws (failing the test if it throws nothing or something else). */
function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('quote', () => {
  test.each([
    ['AKIAIOSFODNN7EXAMPLE', '<redacted>'],
    [`ghp_${'a'.repeat(36)}`, '<redacted>'],
    ['postgres://app:hunter2@db.internal/app', '<redacted>'],
    ['password=hunter2', '<redacted>'],
    [`sk_live_${'a'.repeat(24)}`, '<redacted>'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig', '<redacted>'],
    ['plain', '"plain"'],
    ['two\nlines', '"two\\nlines"'],
    ['x'.repeat(80), `"${'x'.repeat(80)}"`],
    ['x'.repeat(81), `"${'x'.repeat(79)}…"`],
  ])('%j → %s', (value, expected) => expect(quote(value)).toBe(expected));
});

describe('parseString', () => {
  test.each([
    ['  web  ', {}, 'web'],
    ['', {}, ''],
    ['', { default: 'main' }, 'main'],
    ['   ', { default: 'main' }, 'main'],
    ['given', { required: true }, 'given'],
  ])('%j with %j → %j', (raw, options, expected) => expect(parseString('cluster', raw, options)).toBe(expected));

  test.each(['', '  \n '])('%j when required → error', (raw) => {
    expect(configError(() => parseString('cluster', raw, { required: true }))).toBe(
      'Input "cluster" is required but was empty or not set.',
    );
  });
});

describe('parseBoolean', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    [' true ', true],
  ])('%j → %s', (raw, expected) => expect(parseBoolean('wait', raw, !expected)).toBe(expected));

  test.each([
    ['', true],
    ['', false],
    ['  ', true],
  ])('%j → default %s', (raw, defaultValue) => expect(parseBoolean('wait', raw, defaultValue)).toBe(defaultValue));

  test.each(['yes', 'no', 'on', 'off', '1', '0', 'tRUE', 'y', 'truee'])('%j → error', (raw) => {
    expect(configError(() => parseBoolean('wait', raw, false))).toBe(
      `Input "wait" must be a boolean (true, True, TRUE, false, False or FALSE), got "${raw}".`,
    );
  });
});

describe('parseInteger', () => {
  test.each([
    ['3', {}, 3],
    [' 42 ', {}, 42],
    ['-7', {}, -7],
    ['+7', {}, 7],
    ['007', {}, 7],
    ['0', { min: 0 }, 0],
    ['10', { min: 1, max: 10 }, 10],
    ['', { default: 5 }, 5],
    ['9007199254740991', {}, Number.MAX_SAFE_INTEGER],
  ])('%j with %j → %d', (raw, options, expected) => expect(parseInteger('count', raw, options)).toBe(expected));

  test.each([
    ['3.5', {}, 'Input "count" must be a whole number, got "3.5".'],
    ['1e3', {}, 'Input "count" must be a whole number, got "1e3".'],
    ['ten', {}, 'Input "count" must be a whole number, got "ten".'],
    ['0x10', {}, 'Input "count" must be a whole number, got "0x10".'],
    ['1 000', {}, 'Input "count" must be a whole number, got "1 000".'],
    ['0', { min: 1, max: 10 }, 'Input "count" must be a whole number from 1 to 10, got "0".'],
    ['11', { min: 1, max: 10 }, 'Input "count" must be a whole number from 1 to 10, got "11".'],
    ['-1', { min: 0 }, 'Input "count" must be a whole number of at least 0, got "-1".'],
    ['101', { max: 100 }, 'Input "count" must be a whole number of at most 100, got "101".'],
    [
      '9007199254740992',
      {},
      'Input "count" must be a whole number from -9007199254740991 to 9007199254740991, got "9007199254740992".',
    ],
    [
      '99999999999999999999',
      { min: 1 },
      'Input "count" must be a whole number from 1 to 9007199254740991, got "99999999999999999999".',
    ],
    ['', {}, 'Input "count" is required but was empty or not set.'],
  ])('%j with %j → error', (raw, options, message) => {
    expect(configError(() => parseInteger('count', raw, options))).toBe(message);
  });
});

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['2h', 7_200_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['1s500ms', 1_500],
    ['10m0s', 600_000],
    ['0s', 0],
    ['600', 600_000],
    ['0', 0],
    [' 5m ', 300_000],
  ])('%j → %d ms', (raw, expected) => expect(parseDuration('timeout', raw, 1)).toBe(expected));

  test('empty → default', () => expect(parseDuration('timeout', '', 123)).toBe(123));

  test.each(['10x', '-5m', '1.5h', '30m1h', '5 m', '10M', 'm', 'ms', '1h1h', 'h30m', '1d', 'PT5M', '99999999999999h'])(
    '%j → error',
    (raw) => {
      expect(configError(() => parseDuration('timeout', raw, 1))).toBe(
        'Input "timeout" must be a duration such as 90s, 10m, 1h30m or 500ms ' +
          `(units h, m, s, ms in that order; a plain number means seconds), got "${raw}".`,
      );
    },
  );

  // Issue 12 defect 3: `1000h` was accepted, and Node fired the 41-day timer at once (it overflows 2^31-1 ms).
  test.each([
    ['1000h', {}, 'from 0s to 120h'],
    ['432001', {}, 'from 0s to 120h'],
    ['0', WAIT_BOUNDS, 'from 1s to 120h'],
    ['999ms', WAIT_BOUNDS, 'from 1s to 120h'],
    ['50ms', CHECK_INTERVAL_BOUNDS, 'from 100ms to 120h'],
    ['25h', { max: 24 * 3_600_000 }, 'from 0s to 24h'],
  ])('%j with bounds %j → out of range', (raw, bounds, range) => {
    expect(configError(() => parseDuration('timeout', raw, 1, bounds))).toBe(
      `Input "timeout" must be a duration ${range}, got "${raw}".`,
    );
  });

  test('every accepted duration fits a Node timer', () => {
    expect(parseDuration('timeout', '120h', 1)).toBe(MAX_DURATION_MS);
    expect(MAX_DURATION_MS).toBeLessThanOrEqual(2 ** 31 - 1);
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.constantFrom('h', 'm', 's', 'ms', ''), (count, unit) => {
        let ms: number;
        try {
          ms = parseDuration('timeout', `${count}${unit}`, 1, WAIT_BOUNDS);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          return;
        }
        expect(ms).toBeGreaterThanOrEqual(1_000);
        expect(ms).toBeLessThanOrEqual(2 ** 31 - 1);
      }),
    );
  });
});

describe('parseRegion and parseText', () => {
  test.each(['us-east-1', 'eu-north-1', 'us-gov-west-1', 'cn-north-1', ''])('region %j', (raw) => {
    expect(parseRegion('region', raw)).toBe(raw);
  });

  test.each(['US-EAST-1', 'us-east', 'x'.repeat(100), 'us-east-1\u202e'])('region %j is refused', (raw) => {
    expect(configError(() => parseRegion('region', raw))).toMatch(/^Input "region" must be an AWS region such as/);
  });

  test('text is one printable line', () => {
    expect(parseText('environment', ' Production EU ', 255)).toBe('Production EU');
    expect(configError(() => parseText('environment', 'prod\u0007', 255))).toBe(
      'Input "environment" must be one line of at most 255 printable characters, got "prod\\u0007".',
    );
    expect(configError(() => parseText('environment', 'x'.repeat(256), 255))).toMatch(/at most 255/);
  });
});

describe('parseList', () => {
  test.each([
    ['', []],
    ['a', ['a']],
    ['a,b , c', ['a', 'b', 'c']],
    ['a\nb\n\nc', ['a', 'b', 'c']],
    ['a, b\nc,d', ['a', 'b', 'c', 'd']],
    ['  a  \n\t b \n', ['a', 'b']],
    ['# a comment\na\n  # indented comment, with comma\nb', ['a', 'b']],
    ['a,,b,\n,', ['a', 'b']],
    ['a\r\nb\r\n', ['a', 'b']],
    ['/index.html\n/assets/*', ['/index.html', '/assets/*']],
  ])('%j → %j', (raw, expected) => expect(parseList(raw)).toEqual(expected));
});

describe('parseMap', () => {
  test.each([
    ['', {}],
    ['LOG_LEVEL=debug', { LOG_LEVEL: 'debug' }],
    ['A=1\nB=2', { A: '1', B: '2' }],
    ['URL=postgres://u:p@h/db?sslmode=require&x=y', { URL: 'postgres://u:p@h/db?sslmode=require&x=y' }],
    ['  KEY = spaced value  ', { KEY: 'spaced value' }],
    ['EMPTY=', { EMPTY: '' }],
    ['# comment\n\nA=1\n  # another\n', { A: '1' }],
    ['_private=1\nwith.dot=2\nwith-dash=3\nlower=4', { _private: '1', 'with.dot': '2', 'with-dash': '3', lower: '4' }],
    ['A=1,B=2', { A: '1,B=2' }],
    ['A=1\r\nB=2\r\n', { A: '1', B: '2' }],
  ])('%j → %j', (raw, expected) => expect(parseMap('environment', raw)).toEqual(expected));

  test('a key named __proto__ stays plain data', () => {
    const map = parseMap('environment', '__proto__=x');
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
  });

  test.each([
    ['LOG_LEVEL', 'Input "environment" line 1 must be KEY=value, got "LOG_LEVEL".'],
    ['A=1\n\nno equals here', 'Input "environment" line 3 must be KEY=value, got "no equals here".'],
    ['=value', `Input "environment" line 1 has an invalid key "": ${KEY_RULE}`],
    ['1ABC=x', `Input "environment" line 1 has an invalid key "1ABC": ${KEY_RULE}`],
    ['A=1\nMY KEY=x', `Input "environment" line 2 has an invalid key "MY KEY": ${KEY_RULE}`],
    ['A=1\nB=2\n# c\nA=3', 'Input "environment" sets "A" twice (lines 1 and 4); each key may appear once.'],
  ])('%j → error', (raw, message) => expect(configError(() => parseMap('environment', raw))).toBe(message));
});

describe('parseStructured', () => {
  test.each([
    ['{"family": "web", "cpu": 256}', { family: 'web', cpu: 256 }],
    ['[1, 2]', [1, 2]],
    [
      'family: web\ncontainers:\n  - name: app\n    image: x',
      { family: 'web', containers: [{ name: 'app', image: 'x' }] },
    ],
    ['- a\n- b', ['a', 'b']],
    ['  indented: yes\n  second: 2', { indented: 'yes', second: 2 }],
    ['{}', {}],
  ])('%j → %j', (text, expected) => expect(parseStructured('overrides', text)).toEqual(expected));

  test.each(['', '  \n'])('%j → undefined', (text) => expect(parseStructured('overrides', text)).toBeUndefined());

  test.each([
    [
      '{a: ',
      'Input "overrides" is not valid JSON or YAML (Flow map must end with a } at line 1, column 5), got "{a: ".',
    ],
    [
      '{"a": 1,, }',
      'Input "overrides" is not valid JSON or YAML (Unexpected , in flow map at line 1, column 9), got "{\\"a\\": 1,, }".',
    ],
    [
      'a: 1\na: 2',
      'Input "overrides" is not valid JSON or YAML (Map keys must be unique at line 2, column 1), got "a: 1\\na: 2".',
    ],
    [
      'a:\n\tb: 1',
      'Input "overrides" is not valid JSON or YAML (Tabs are not allowed as indentation at line 2, column 1), ' +
        'got "a:\\n\\tb: 1".',
    ],
    ['plain words', `Input "overrides" ${NOT_STRUCTURED}, got "plain words".`],
    ['42', `Input "overrides" ${NOT_STRUCTURED}, got "42".`],
    ['null', `Input "overrides" ${NOT_STRUCTURED}, got "null".`],
  ])('%j → error', (text, message) => expect(configError(() => parseStructured('overrides', text))).toBe(message));

  test('a long bad value is quoted cut short', () => {
    const text = `"${'y'.repeat(200)}`;
    expect(configError(() => parseStructured('overrides', text))).toBe(
      'Input "overrides" is not valid JSON or YAML (Missing closing "quote at line 1, column 202), ' +
        `got ${JSON.stringify(`${text.slice(0, 79)}…`)}.`,
    );
  });

  test.each([
    [
      'a: [1',
      { file: 'td.yaml' },
      'Input "overrides" names file "td.yaml", which is not valid JSON or YAML ' +
        '(Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 6).',
    ],
    [
      'true',
      { file: 'td.yaml' },
      'Input "overrides" names file "td.yaml", which holds a boolean instead of a JSON or YAML object or list.',
    ],
    [
      '',
      { file: 'td.yaml' },
      'Input "overrides" names file "td.yaml", which is empty instead of holding a JSON or YAML object or list.',
    ],
    [
      './td.json',
      { missingFile: '/work/td.json' },
      `Input "overrides" ${NOT_STRUCTURED}, got "./td.json" (no file at /work/td.json).`,
    ],
  ])('%j from %j → error', (text, origin, message) => {
    expect(configError(() => parseStructured('overrides', text, origin))).toBe(message);
  });
});

describe('readers', () => {
  const setInput = (name: string, value: string) => {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
    delete process.env.GITHUB_WORKSPACE;
  });

  test('each reader takes the input the runner passes as INPUT_<NAME>', () => {
    setInput('cluster', '  prod  ');
    setInput('wait-for-stable', 'False');
    setInput('desired-count', '4');
    setInput('timeout', '1h30m');
    setInput('paths', '/a, /b\n/c');
    setInput('build-args', 'A=1\nB=x=y');
    expect(readString('cluster')).toBe('prod');
    expect(readBoolean('wait-for-stable', true)).toBe(false);
    expect(readInteger('desired-count', { min: 0 })).toBe(4);
    expect(readDuration('timeout', 1)).toBe(5_400_000);
    expect(readList('paths')).toEqual(['/a', '/b', '/c']);
    expect(readMap('build-args')).toEqual({ A: '1', B: 'x=y' });
  });

  test('unset inputs give the defaults, or the required error', () => {
    expect(readString('cluster', { default: 'main' })).toBe('main');
    expect(readBoolean('wait-for-stable', true)).toBe(true);
    expect(readInteger('desired-count', { default: 2 })).toBe(2);
    expect(readDuration('timeout', 600_000)).toBe(600_000);
    expect(readList('paths')).toEqual([]);
    expect(readMap('build-args')).toEqual({});
    expect(readStructured('overrides')).toBeUndefined();
    expect(configError(() => readString('cluster', { required: true }))).toBe(
      'Input "cluster" is required but was empty or not set.',
    );
  });

  test('a reader error names the input and quotes the value', () => {
    setInput('max-attempts', '0');
    expect(configError(() => readInteger('max-attempts', { min: 1, max: 10 }))).toBe(
      'Input "max-attempts" must be a whole number from 1 to 10, got "0".',
    );
  });

  describe('readStructured', () => {
    let workspace: string;
    beforeEach(() => {
      workspace = mkdtempSync(join(tmpdir(), 'shipyard-inputs-'));
      mkdirSync(join(workspace, 'deploy'));
      writeFileSync(join(workspace, 'deploy', 'td.json'), '{"family": "web"}');
      writeFileSync(join(workspace, 'deploy', 'td.yaml'), 'family: api\ncpu: 512\n');
      writeFileSync(join(workspace, 'deploy', 'bad.yaml'), 'family: [');
      writeFileSync(join(workspace, 'deploy', 'secret.yaml'), 'postgres://app:hunter2@db.internal/app');
      writeFileSync(join(workspace, 'deploy', 'alias.yaml'), 'password: *hunter2\n');
      symlinkSync('/etc/hostname', join(workspace, 'deploy', 'link.json'));
    });

    test.each([
      ['deploy/td.json', { family: 'web' }],
      ['./deploy/td.yaml', { family: 'api', cpu: 512 }],
      ['{"inline": true}', { inline: true }],
      ['inline: yaml', { inline: 'yaml' }],
      ['  first: 1\n  second: 2\n', { first: 1, second: 2 }],
    ])('%j → %j (relative to GITHUB_WORKSPACE)', (value, expected) => {
      process.env.GITHUB_WORKSPACE = workspace;
      setInput('task-definition', value);
      expect(readStructured('task-definition')).toEqual(expected);
    });

    test('a one-line YAML value too long to be a file name is parsed inline', () => {
      process.env.GITHUB_WORKSPACE = workspace;
      setInput('task-definition', `a: ${'long '.repeat(100)}`);
      expect(readStructured('task-definition')).toEqual({ a: 'long '.repeat(100).trim() });
    });

    afterEach(() => rmSync(workspace, { recursive: true, force: true }));

    test('an absolute path inside the workspace is read as is', () => {
      process.env.GITHUB_WORKSPACE = workspace;
      setInput('task-definition', join(workspace, 'deploy', 'td.json'));
      expect(readStructured('task-definition')).toEqual({ family: 'web' });
    });

    test('without GITHUB_WORKSPACE a relative path resolves against the working directory', () => {
      const cwd = process.cwd();
      process.chdir(workspace);
      try {
        setInput('task-definition', 'deploy/td.yaml');
        expect(readStructured('task-definition')).toEqual({ family: 'api', cpu: 512 });
      } finally {
        process.chdir(cwd);
      }
    });

    test.each([
      [
        'deploy/missing.json',
        (ws: string) =>
          `Input "task-definition" ${NOT_STRUCTURED}, ` +
          `got "deploy/missing.json" (no file at ${join(ws, 'deploy', 'missing.json')}).`,
      ],
      [
        'deploy',
        (ws: string) =>
          `Input "task-definition" ${NOT_STRUCTURED}, ` + `got "deploy" (no file at ${join(ws, 'deploy')}).`,
      ],
      [
        'deploy/bad.yaml',
        () =>
          'Input "task-definition" names file "deploy/bad.yaml", which is not valid JSON or YAML ' +
          '(Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 10).',
      ],
      // Issue 12 defect 2: what a file holds never appears in an error, and no file outside the checkout is read.
      [
        'deploy/secret.yaml',
        () =>
          'Input "task-definition" names file "deploy/secret.yaml", which holds a string instead of a JSON or ' +
          'YAML object or list.',
      ],
      [
        'deploy/alias.yaml',
        () =>
          'Input "task-definition" names file "deploy/alias.yaml", which is not valid JSON or YAML ' +
          '(Unresolved alias (the anchor must be set before the alias)).',
      ],
      [
        '../../../../etc/passwd',
        () =>
          'Input "task-definition" names "../../../../etc/passwd", which is outside the workspace; give a path ' +
          'inside the checkout.',
      ],
      [
        '/etc/passwd',
        () =>
          'Input "task-definition" names "/etc/passwd", which is outside the workspace; give a path inside the checkout.',
      ],
      [
        'deploy/link.json',
        () =>
          'Input "task-definition" names "deploy/link.json", which leads (through a symbolic link) outside the ' +
          'workspace; give a path inside the checkout.',
      ],
    ])('%j → error', (value, message) => {
      process.env.GITHUB_WORKSPACE = workspace;
      setInput('task-definition', value);
      expect(configError(() => readStructured('task-definition'))).toBe(message(workspace));
    });
  });
});
