import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from '@shipyard/testkit/fixtures/migrate/postgres';
import {
  actionSteps,
  dbSnapshots,
  describeRun,
  filesFrom,
  invalidations,
  mutations,
  startExample,
  stepsNamed,
  pullRequestEvent,
} from '../src/examples';
import type { WorkflowRun } from '../src/model';
import { SHIPYARD_ROOT, type World } from '../src/world';

// Flight Schedule Pro (no ECS: the backend is Lambda), as its deployment guide describes it: both databases were
// migrated by hand with `psql -f` up to 006; a push to main then deploys staging, then production. Per environment the
// RDS instance is snapshotted, database/migrations is applied against a real PostgreSQL with a ledger (001…006
// recorded as the baseline, the new 007 run once), the frontend built once is synced to
// flight-schedule-pro-<env>-frontend, CloudFront `/*` is invalidated on the distribution named by its alias, and the
// API's /health (a local stand-in for the Lambda API) and the smoke tests pass. A re-run changes nothing; the
// pull-request check runs the tests and the frontend build.
jest.setTimeout(300_000);

// The guide's seven files (migrate's fixture), applied by hand; this repository then adds a new one.
const BY_HAND_DIR = join(SHIPYARD_ROOT, 'actions/migrate/__tests__/fixtures/flight-schedule-pro/database/migrations');
const BY_HAND = readdirSync(BY_HAND_DIR).sort();
const FIXTURE = join(__dirname, 'fixtures/flight-schedule-pro');
const NEW = readdirSync(join(FIXTURE, 'database/migrations'));
const ENVIRONMENTS = [
  { name: 'staging', database: 'flight_schedule_pro_staging', db: 'flight-schedule-pro-staging' },
  { name: 'production', database: 'flight_schedule_pro_prod', db: 'flight-schedule-pro-prod' },
];
const DISTRIBUTIONS = { staging: 'E3FSPSTAGING01', production: 'E3FSPPRODUCTN1' };

let pg: TestPostgres;
let api: Server;
/** The paths the API stand-in was asked for, in order. */
const apiRequests: string[] = [];
let healthChecksAfterFirst: number;
let world: World;
let first: WorkflowRun;
let firstMutations: string[];
let bucketsAfterFirst: Record<string, Record<string, string>>;
let rerun: WorkflowRun;
let rerunMutations: string[];
let pullRequest: WorkflowRun;
const databaseUrl = (database: string) => pg.url.replace(/\/postgres$/, `/${database}`);

beforeAll(async () => {
  pg = await startPostgres();
  for (const { database } of ENVIRONMENTS) {
    await pg.query(`CREATE DATABASE ${database}`);
    // What the guide did by hand, file by file: nothing recorded which ones ran.
    for (const file of BY_HAND) {
      execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', databaseUrl(database), '-f', join(BY_HAND_DIR, file)]);
    }
  }
  api = createServer((request, response) => {
    apiRequests.push(request.url ?? '');
    response.writeHead(request.url === '/health' ? 200 : 404).end();
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  world = await startExample('flight-schedule-pro', {
    timeScale: 300,
    routes: {
      'api-staging.flightschedulepro.com': { url: apiUrl },
      'api.flightschedulepro.com': { url: apiUrl },
    },
    files: {
      ...filesFrom(BY_HAND_DIR, 'database/migrations'),
      ...filesFrom(FIXTURE, ''),
      ...filesFrom(join(__dirname, 'fixtures/frontend'), 'frontend'),
    },
  });
  const secrets = {
    FSP_STAGING_ROLE_ARN: 'arn:aws:iam::123456789012:role/fsp-staging',
    FSP_PRODUCTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/fsp-production',
    FSP_STAGING_DATABASE_URL: databaseUrl(ENVIRONMENTS[0].database),
    FSP_PRODUCTION_DATABASE_URL: databaseUrl(ENVIRONMENTS[1].database),
  };
  const github = { repository: 'acme/flight-schedule-pro' };
  first = await world.run('.github/workflows/deploy.yml', { secrets, github });
  firstMutations = mutations(world);
  healthChecksAfterFirst = apiRequests.filter((path) => path === '/health').length;
  bucketsAfterFirst = Object.fromEntries(
    ['flight-schedule-pro-staging-frontend', 'flight-schedule-pro-prod-frontend'].map((name) => [
      name,
      world.bucket(name),
    ]),
  );
  world.sim.control.clearRequests();
  rerun = await world.run('.github/workflows/deploy.yml', { secrets, github: { ...github, run_attempt: '2' } });
  rerunMutations = mutations(world);
  pullRequest = await world.run('.github/workflows/pr-checks.yml', {
    github: pullRequestEvent(github.repository, 4, '5003'),
  });
}, 300_000);
afterAll(async () => {
  await world?.close();
  await new Promise((resolve) => api?.close(resolve));
  await pg?.stop();
});

test('staging, then production: snapshot, the SQL files with a ledger, the frontend, then CloudFront /*', async () => {
  expect(describeRun(first)).not.toMatch(/→ failure/);
  expect(first.result).toBe('success');
  expect(firstMutations.filter((m) => !m.startsWith('CreateDeployment'))).toEqual(
    ENVIRONMENTS.flatMap((env) => [
      `CreateDBSnapshot ${env.db}`,
      `CreateInvalidation ${DISTRIBUTIONS[env.name as keyof typeof DISTRIBUTIONS]}`,
    ]),
  );
  const migrations = stepsNamed(first, 'Apply the SQL migrations');
  expect(
    migrations.map((step) => [step.environment, step.inputs['sql-directory'], step.inputs['sql-baseline']]),
  ).toEqual([
    ['staging', 'app/database/migrations', '006_create_audit_log.sql'],
    ['production', 'app/database/migrations', '006_create_audit_log.sql'],
  ]);
  for (const [index, step] of migrations.entries()) {
    expect(JSON.parse(step.outputs['sql-baselined-files'])).toEqual(BY_HAND);
    expect(JSON.parse(step.outputs['sql-applied-files'])).toEqual(NEW);
    expect(step.outputs['snapshot-id']).toMatch(new RegExp(`^${ENVIRONMENTS[index].db}-pre-`));
    // RDS holds it as a manual snapshot of the instance.
    const snapshots = await dbSnapshots(world, 'us-east-1', { kind: 'instance', identifier: ENVIRONMENTS[index].db });
    expect(snapshots).toEqual({ [step.outputs['snapshot-id']]: 'available' });
  }
  for (const [index, step] of actionSteps(first, 'invalidate-cdn').entries()) {
    const distribution = DISTRIBUTIONS[ENVIRONMENTS[index].name as keyof typeof DISTRIBUTIONS];
    expect(await invalidations(world, distribution)).toHaveProperty(step.outputs['invalidation-ids']);
  }
});

test('each database holds every file once in the ledger, and the new one really ran', async () => {
  for (const { database } of ENVIRONMENTS) {
    const ledger = execFileSync(
      'psql',
      ['-At', '-d', databaseUrl(database), '-c', 'SELECT file, baseline FROM shipyard_migrations ORDER BY version'],
      { encoding: 'utf8' },
    );
    expect(ledger.trim().split('\n')).toEqual([...BY_HAND.map((file) => `${file}|t`), `${NEW[0]}|f`]);
    const column = execFileSync(
      'psql',
      [
        '-At',
        '-d',
        databaseUrl(database),
        '-c',
        "SELECT 1 FROM information_schema.columns WHERE column_name = 'weather_checked_at'",
      ],
      { encoding: 'utf8' },
    );
    expect(column.trim()).toBe('1');
  }
});

test('the frontend is built once and that same build is uploaded to both buckets', () => {
  const builds = stepsNamed(first, 'Build the frontend');
  expect(builds).toHaveLength(1);
  const buildId = /built (\S+)/.exec(builds[0].log)?.[1];
  const staging = bucketsAfterFirst['flight-schedule-pro-staging-frontend'];
  expect(Object.keys(staging)).toEqual(['assets/app.js', 'index.html']);
  expect(staging['index.html']).toContain(`build ${buildId}`);
  expect(bucketsAfterFirst['flight-schedule-pro-prod-frontend']).toEqual(staging);
  const uploads = stepsNamed(first, 'Upload the frontend');
  expect(uploads.map((step) => step.environment)).toEqual(['staging', 'production']);
  expect(actionSteps(first, 'invalidate-cdn').map((step) => step.inputs.distributions)).toEqual([
    'staging.flightschedulepro.com',
    'app.flightschedulepro.com',
  ]);
});

test('each environment ends with the API health check and the smoke tests', () => {
  const smoke = stepsNamed(first, 'Smoke tests');
  expect(smoke.map((step) => [step.environment, step.result])).toEqual([
    ['staging', 'success'],
    ['production', 'success'],
  ]);
  expect(smoke[0].log).toContain('smoke tests passed on staging');
  expect(smoke[1].log).toContain('smoke tests passed on production');
  // The API (a stand-in for the Lambda API of api-staging. / api.flightschedulepro.com) was asked for /health by the
  // guide's curl and by the smoke tests, in each environment.
  expect(healthChecksAfterFirst).toBe(4);
});

test('a re-run applies nothing, takes no snapshot and pays for no second invalidation', () => {
  expect(describeRun(rerun)).not.toMatch(/→ failure/);
  for (const step of stepsNamed(rerun, 'Apply the SQL migrations')) {
    expect(step.outputs['sql-applied-files']).toBe('[]');
    expect(step.outputs['snapshot-id'] ?? '').toBe('');
  }
  expect(actionSteps(rerun, 'invalidate-cdn').map((step) => step.outputs['paths-submitted'])).toEqual(['0', '0']);
  expect(rerunMutations.filter((m) => m.startsWith('CreateDB'))).toEqual([]);
});

test('the pull-request check runs the tests and the frontend build; there is no ECS plan', () => {
  expect(describeRun(pullRequest)).not.toMatch(/→ failure/);
  const jobs = Object.fromEntries(pullRequest.jobs.map((job) => [job.id, job.result]));
  expect(jobs).toMatchObject({ 'checks / test': 'success', 'checks / plan': 'skipped', 'checks / result': 'success' });
  const [tests] = stepsNamed(pullRequest, 'Run the tests');
  expect(tests.log).toMatch(/built \S+/);
});
