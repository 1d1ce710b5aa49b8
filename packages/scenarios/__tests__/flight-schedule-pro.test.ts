import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionSteps, describeRun, mutations, startExample } from '../src/examples';
import type { WorkflowRun } from '../src/model';
import { SHIPYARD_ROOT, type World } from '../src/world';

// Flight Schedule Pro (no ECS: the backend is Lambda): per environment, one job that snapshots the database, applies
// the ordered SQL files with migrate in runner mode, and invalidates CloudFront `/*` on the distribution named by
// its alias — staging first, then production. node-pg-migrate is stood in by a script with the same contract (a
// ledger per DATABASE_URL instead of the pgmigrations table), since there is no PostgreSQL here.

const MIGRATIONS = join(SHIPYARD_ROOT, 'actions/migrate/__tests__/fixtures/flight-schedule-pro/migrations');
const STAND_IN = join(__dirname, 'fixtures/pg-migrate-stand-in.mjs');
const FILES = readdirSync(MIGRATIONS).sort();
const ledgers = mkdtempSync(join(tmpdir(), 'fsp-ledgers-'));
const ledger = (environment: string) => join(ledgers, `${environment}.ledger`);

let world: World;
let first: WorkflowRun;
let rerun: WorkflowRun;
let firstMutations: string[];

beforeAll(async () => {
  world = await startExample('flight-schedule-pro', {
    timeScale: 300,
    files: Object.fromEntries(
      FILES.map((file) => [`db/migrations/${file}`, readFileSync(join(MIGRATIONS, file), 'utf8')]),
    ),
    environmentSecrets: Object.fromEntries(
      ['staging', 'production'].map((environment) => [
        environment,
        {
          DATABASE_URL: `file://${ledger(environment)}`,
          AWS_ROLE_ARN: `arn:aws:iam::123456789012:role/fsp-${environment}`,
        },
      ]),
    ),
    skipScripts: {
      'npm ci': 'the frontend sources are not in this repository',
      'Build the frontend': 'the frontend sources are not in this repository',
      'Upload the frontend': 'aws-sim has no S3',
      'Check the API and run the smoke tests': 'the API is a Lambda (out of scope)',
    },
    actionInputs: (action, inputs) =>
      action === 'migrate'
        ? { ...inputs, command: JSON.stringify(['node', STAND_IN, 'up', '--migrations-dir', 'db/migrations']) }
        : inputs,
  });
  first = await world.run('.github/workflows/deploy.yml', {});
  firstMutations = mutations(world);
  world.sim.control.clearRequests();
  rerun = await world.run('.github/workflows/deploy.yml', { github: { run_attempt: '2' } });
});
afterAll(async () => {
  await world?.close();
  rmSync(ledgers, { recursive: true, force: true });
});

test('staging, then production: snapshot, the SQL files in order, then the CloudFront invalidation of /*', () => {
  expect(describeRun(first)).not.toMatch(/→ failure/);
  expect(first.result).toBe('success');
  expect(firstMutations).toEqual([
    'CreateDBSnapshot flight-schedule-pro-staging-db',
    'CreateInvalidation E3FSPSTAGING01',
    'CreateDBSnapshot flight-schedule-pro-production-db',
    'CreateInvalidation E3FSPPRODUCTN1',
  ]);
  const migrations = actionSteps(first, 'migrate');
  expect(migrations.map((step) => step.job)).toEqual(['staging / release', 'production / release']);
  for (const step of migrations) {
    expect(step.outputs['exit-code']).toBe('0');
    expect(step.outputs['snapshot-id']).toMatch(/^flight-schedule-pro-(staging|production)-db-pre-/);
    const applied = [...step.log.matchAll(/> - (\S+\.sql)/g)].map((match) => match[1]);
    expect(applied).toEqual(FILES);
  }
  for (const environment of ['staging', 'production']) {
    expect(readFileSync(ledger(environment), 'utf8').split('\n').filter(Boolean)).toEqual(FILES);
  }
  const invalidations = actionSteps(first, 'invalidate-cdn');
  expect(invalidations.map((step) => step.outputs['paths-submitted'])).toEqual(['1', '1']);
  const created = world.sim.control.milestones('cloudfront-invalidation').map((m) => m.state);
  expect(created).toEqual(['Completed', 'Completed']);
});

test('a re-run of the workflow applies no migration twice and pays for no second invalidation', () => {
  expect(rerun.result).toBe('success');
  for (const step of actionSteps(rerun, 'migrate')) expect(step.log).toContain('No migrations to run!');
  expect(actionSteps(rerun, 'invalidate-cdn').map((step) => step.outputs['paths-submitted'])).toEqual(['0', '0']);
  // A new snapshot per attempt (its id carries the attempt), the invalidations of attempt 1 returned as they were.
  expect(mutations(world).filter((m) => m.startsWith('CreateDBSnapshot'))).toHaveLength(2);
  expect(existsSync(ledger('staging'))).toBe(true);
});
