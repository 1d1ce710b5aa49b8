/**
 * RDS identifiers for the pre-migration snapshot. The API references give the rules: 1–255 letters, digits or
 * hyphens for DB snapshots (CreateDBSnapshot), 1–63 for DB cluster snapshots (CreateDBClusterSnapshot, stored in
 * lower case), first character a letter, no trailing hyphen, no two hyphens in a row. DB instance and cluster
 * identifiers follow the same rules with at most 63 characters.
 */

export type SnapshotKind = 'instance' | 'cluster';

export const SNAPSHOT_ID_MAX_LENGTH: Record<SnapshotKind, number> = { instance: 255, cluster: 63 };
export const DB_IDENTIFIER_MAX_LENGTH = 63;

/** Why `id` is not a valid RDS identifier of at most `maxLength` characters, or undefined when it is. */
export function identifierProblem(id: string, maxLength: number): string | undefined {
  if (id.length === 0) return 'it is empty';
  if (id.length > maxLength) return `it has ${id.length} characters, more than ${maxLength}`;
  const bad = /[^A-Za-z0-9-]/.exec(id);
  if (bad) return `it contains ${JSON.stringify(bad[0])}; only letters, digits and hyphens are allowed`;
  if (!/^[A-Za-z]/.test(id)) return 'it must start with a letter';
  if (id.endsWith('-')) return 'it must not end with a hyphen';
  if (id.includes('--')) return 'it must not contain two hyphens in a row';
  return undefined;
}

export interface SnapshotContext {
  /** The commit being deployed (GITHUB_SHA); its first 7 characters go into the name. */
  sha?: string;
  /** GITHUB_RUN_ID, and GITHUB_RUN_ATTEMPT so a re-run does not collide with the first attempt's snapshot. */
  runId?: string;
  runAttempt?: string;
  /** Used instead of the sha and run id when they are missing (a run outside GitHub Actions). */
  now?: Date;
}

/**
 * `<db>-pre-<sha7>-<run id>[-<attempt>]`, lower case, the database part shortened when the whole would exceed the
 * limit of `kind`. `db` must itself be a valid identifier (the inputs check that first).
 */
export function generateSnapshotId(db: string, kind: SnapshotKind, context: SnapshotContext): string {
  const sha = (context.sha ?? '')
    .toLowerCase()
    .replace(/[^0-9a-z]/g, '')
    .slice(0, 7);
  const runId = (context.runId ?? '').replace(/[^0-9]/g, '');
  const attempt = (context.runAttempt ?? '').replace(/[^0-9]/g, '');
  const parts =
    sha && runId
      ? [sha, runId, ...(attempt && attempt !== '1' ? [attempt] : [])]
      : [timestamp(context.now ?? new Date())];
  const suffix = `-pre-${parts.join('-')}`;
  const room = SNAPSHOT_ID_MAX_LENGTH[kind] - suffix.length;
  const prefix = db.toLowerCase().slice(0, room).replace(/-+$/, '');
  return `${prefix}${suffix}`.toLowerCase();
}

/** `20250102T030405` (UTC): sortable, letters and digits only. */
function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '');
}
