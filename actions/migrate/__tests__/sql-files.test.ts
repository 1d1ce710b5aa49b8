import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ConfigError } from '@shipyard/platform/errors';
import {
  checksumOf,
  compareVersions,
  listSqlFiles,
  orderFileNames,
  parseBaseline,
  parseFileVersion,
  resolveBaseline,
  type SqlFile,
} from '../src/sql-files';

describe('parseFileVersion', () => {
  test.each([
    ['001_create_users.sql', 1n, ''],
    ['003a_create_availability_tables.sql', 3n, 'a'],
    ['003b-create-availability-patterns.sql', 3n, 'b'],
    ['10.sql', 10n, ''],
    ['20240115093000_add_index.sql', 20240115093000n, ''],
    ['0001aa_x.v2.sql', 1n, 'aa'],
    ['99999999999999999999999_x.sql', 99999999999999999999999n, ''],
  ])('%s is version %s%s', (name, number, letters) => {
    expect(parseFileVersion(name)).toEqual({ number, letters });
  });

  test.each([
    'create_users.sql',
    'V1__create_users.sql',
    '001 create users.sql',
    '001_create_users.SQL',
    '003A_upper.sql',
    '1.2_dotted.sql',
    '001_x.sql.bak',
    '001_$(id).sql',
    '.001_hidden.sql',
  ])('%s has no version', (name) => {
    expect(parseFileVersion(name)).toBeUndefined();
  });
});

const fileName = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 10n ** 15n }),
    fc.nat({ max: 4 }),
    fc.stringMatching(/^[a-c]{0,2}$/),
    fc.stringMatching(/^[a-z_]{0,6}$/),
  )
  .map(([number, padding, letters, description]) => {
    const digits = number.toString().padStart(number.toString().length + padding, '0');
    return `${digits}${letters}${description ? `_${description}` : ''}.sql`;
  });
const versionKey = (name: string) => {
  const version = parseFileVersion(name);
  return `${version?.number}${version?.letters}`;
};
const distinctVersions = fc.uniqueArray(fileName, { selector: versionKey, maxLength: 30 });

describe('orderFileNames', () => {
  test('sorts by the value of the number, then the letters, whatever the padding', () => {
    const names = ['10_j.sql', '9_i.sql', '003b_c.sql', '003a_b.sql', '0003_a.sql', '1_first.sql', '003aa_d.sql'];
    expect(orderFileNames(names, 'db').map((file) => file.name)).toEqual([
      '1_first.sql',
      '0003_a.sql',
      '003a_b.sql',
      '003aa_d.sql',
      '003b_c.sql',
      '9_i.sql',
      '10_j.sql',
    ]);
  });

  test('the order does not depend on the order the folder lists its files in', () => {
    fc.assert(
      fc.property(distinctVersions, fc.func(fc.integer()), (names, key) => {
        const shuffled = [...names].sort((a, b) => key(a) - key(b));
        expect(orderFileNames(shuffled, 'db')).toEqual(orderFileNames(names, 'db'));
      }),
    );
  });

  test('every file sorts strictly after the one before it, by the number first', () => {
    fc.assert(
      fc.property(distinctVersions, (names) => {
        const ordered = orderFileNames(names, 'db');
        for (let index = 1; index < ordered.length; index++) {
          const [previous, current] = [ordered[index - 1].version, ordered[index].version];
          expect(compareVersions(previous, current)).toBe(-1);
          expect(previous.number <= current.number).toBe(true);
        }
      }),
    );
  });

  test('two files of one version are refused, naming both, whatever else is there', () => {
    fc.assert(
      fc.property(distinctVersions, fileName, fc.stringMatching(/^[a-z]{1,5}$/), (names, name, other) => {
        const twin = name.replace(/^(\d+[a-z]*).*$/, `0$1_${other}_twin.sql`);
        fc.pre(twin !== name);
        expect(() => orderFileNames([...names, name, twin], 'db')).toThrow(
          new RegExp(`have the same version ${versionKey(name)}, so their order would be an accident`),
        );
      }),
    );
  });

  test.each([
    [['001_a.sql', '1_b.sql'], '"001_a.sql" and "1_b.sql" have the same version 1'],
    [['002_from_branch_a.sql', '002_from_branch_b.sql'], '"002_from_branch_a.sql" and "002_from_branch_b.sql"'],
    [['001_x.sql', 'seed.sql'], 'whose file "seed.sql" does not follow <number>[letters]_<description>.sql'],
  ])('%j is refused: %s', (names, message) => {
    expect(() => orderFileNames(names, 'db/migrations')).toThrow(ConfigError);
    expect(() => orderFileNames(names, 'db/migrations')).toThrow(message);
    expect(() => orderFileNames(names, 'db/migrations')).toThrow('Input "sql-directory" names "db/migrations"');
  });
});

test('a checksum ignores CRLF line ends and nothing else', () => {
  const lf = checksumOf(Buffer.from('CREATE TABLE a (id INT);\nSELECT 1;\n'));
  expect(checksumOf(Buffer.from('CREATE TABLE a (id INT);\r\nSELECT 1;\r\n'))).toBe(lf);
  expect(checksumOf(Buffer.from('CREATE TABLE a (id INT);\nSELECT 2;\n'))).not.toBe(lf);
  expect(checksumOf(Buffer.from('CREATE TABLE a (id INT);\rSELECT 1;\r'))).not.toBe(lf);
  expect(lf).toMatch(/^[0-9a-f]{64}$/);
});

describe('listSqlFiles', () => {
  let workspace: string;
  const env = () => ({ GITHUB_WORKSPACE: workspace });
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'migrate-sql-files-'));
    mkdirSync(join(workspace, 'db', 'old'), { recursive: true });
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  test('reads the .sql files of the folder in order, skipping other files and subfolders', () => {
    writeFileSync(join(workspace, 'db', '2_b.sql'), 'SELECT 2;\n');
    writeFileSync(join(workspace, 'db', '1_a.sql'), '-- shipyard:no-transaction\nVACUUM;\n');
    writeFileSync(join(workspace, 'db', 'README.md'), 'notes');
    writeFileSync(join(workspace, 'db', 'old', '0_old.sql'), 'SELECT 0;\n');
    const { files } = listSqlFiles('db', env());
    expect(files.map((file) => [file.name, file.transactional])).toEqual([
      ['1_a.sql', false],
      ['2_b.sql', true],
    ]);
    expect(files[1].checksum).toBe(checksumOf(Buffer.from('SELECT 2;\n')));
  });

  test('a folder without .sql files, a missing folder and a link out of the checkout are refused', () => {
    expect(() => listSqlFiles('db', env())).toThrow('Input "sql-directory" names "db", which holds no .sql file');
    expect(() => listSqlFiles('nowhere', env())).toThrow('which is not a directory in the workspace');
    symlinkSync('/etc/hostname', join(workspace, 'db', '1_linked.sql'));
    expect(() => listSqlFiles('db', env())).toThrow('leads (through a symbolic link) outside the workspace');
  });
});

describe('sql-baseline', () => {
  const files = orderFileNames(['001_a.sql', '003a_b.sql', '004_c.sql'], 'db') as SqlFile[];
  const resolve = (raw: string) => resolveBaseline(parseBaseline('sql-baseline', raw), files, 'db');

  test.each([
    ['004_c.sql', '004_c.sql'],
    ['004', '004_c.sql'],
    ['4', '004_c.sql'],
    ['3a', '003a_b.sql'],
    [' 001 ', '001_a.sql'],
  ])('%j names %s', (raw, name) => {
    expect(resolve(raw).name).toBe(name);
  });

  test.each([
    ['005', 'version 5'],
    ['3', 'version 3'],
    ['004_other.sql', '"004_other.sql"'],
  ])('%j names no file of the folder', (raw, given) => {
    expect(() => resolve(raw)).toThrow(
      `Input "sql-baseline" names ${given}, which is not a file of "db" ("001_a.sql" … "004_c.sql").`,
    );
  });

  test.each(['../004_c.sql', 'c', '004_c', '$(id)', 'db/004_c.sql'])(
    '%j is refused before the folder is read',
    (raw) => {
      expect(() => parseBaseline('sql-baseline', raw)).toThrow(
        'Input "sql-baseline" must be a file name of "sql-directory" (e.g. 004_create_x.sql) or a version',
      );
    },
  );
});
