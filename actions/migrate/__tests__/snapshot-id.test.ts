import {
  DB_IDENTIFIER_MAX_LENGTH,
  SNAPSHOT_ID_MAX_LENGTH,
  generateSnapshotId,
  identifierProblem,
} from '../src/snapshot-id';

describe('identifierProblem', () => {
  test.each([
    ['wheelsup-staging-db', 63, undefined],
    ['a', 63, undefined],
    ['A1-b2', 63, undefined],
    ['', 63, 'it is empty'],
    ['1db', 63, 'it must start with a letter'],
    ['-db', 63, 'it must start with a letter'],
    ['db-', 63, 'it must not end with a hyphen'],
    ['db--x', 63, 'it must not contain two hyphens in a row'],
    ['db_x', 63, 'it contains "_"; only letters, digits and hyphens are allowed'],
    ['db.x', 63, 'it contains "."; only letters, digits and hyphens are allowed'],
    ['a'.repeat(64), 63, 'it has 64 characters, more than 63'],
    ['a'.repeat(255), 255, undefined],
    ['a'.repeat(256), 255, 'it has 256 characters, more than 255'],
  ])('%# %s (max %i) → %j', (id, max, expected) => {
    expect(identifierProblem(id, max)).toBe(expected);
  });
});

describe('generateSnapshotId', () => {
  const sha = '0123456789ABCDEF0123456789abcdef01234567';

  test.each([
    [
      'wheelsup-staging-db',
      'instance',
      { sha, runId: '9876543210', runAttempt: '1' },
      'wheelsup-staging-db-pre-0123456-9876543210',
    ],
    [
      'wheelsup-staging-db',
      'instance',
      { sha, runId: '9876543210', runAttempt: '3' },
      'wheelsup-staging-db-pre-0123456-9876543210-3',
    ],
    ['Aurora-Main', 'cluster', { sha, runId: '42' }, 'aurora-main-pre-0123456-42'],
    ['fsp-db', 'instance', { now: new Date('2025-01-02T03:04:05.678Z') }, 'fsp-db-pre-20250102t030405'],
  ] as const)('%s (%s) with %j → %s', (db, kind, context, expected) => {
    expect(generateSnapshotId(db, kind, context)).toBe(expected);
  });

  test.each(['instance', 'cluster'] as const)(
    'a %s snapshot of a 63-character database stays within the limit and valid',
    (kind) => {
      const db = `${'a'.repeat(30)}-${'b'.repeat(DB_IDENTIFIER_MAX_LENGTH - 31)}`;
      const id = generateSnapshotId(db, kind, { sha, runId: '123456789012', runAttempt: '12' });
      expect(id.length).toBeLessThanOrEqual(SNAPSHOT_ID_MAX_LENGTH[kind]);
      expect(identifierProblem(id, SNAPSHOT_ID_MAX_LENGTH[kind])).toBeUndefined();
      expect(id.endsWith('-pre-0123456-123456789012-12')).toBe(true);
    },
  );

  test('a cut that would end on a hyphen drops the hyphen', () => {
    // 63 - "-pre-0123456-1".length = 49: the db part is cut right after its hyphen.
    const db = `${'a'.repeat(48)}-bcdefghijklm`;
    expect(generateSnapshotId(db, 'cluster', { sha, runId: '1' })).toBe(`${'a'.repeat(48)}-pre-0123456-1`);
  });
});
