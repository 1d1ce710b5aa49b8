import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reusableWorkflow, runStep, SCRIPTS } from './workflow-files';
import { tempDirs } from '../src/temp-dirs';

const tempDir = tempDirs();

// What the reusable workflows run themselves, executed as the runner would: the step that locates Shipyard's own
// commit, the input check of the first job, and the collection of the images the build matrix pushed.

const SHA = 'a'.repeat(40);
const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('the locate step (same in deploy.yml, rollback.yml and pr-checks.yml)', () => {
  const scripts = ['deploy.yml', 'rollback.yml', 'pr-checks.yml'].map(
    (file) => reusableWorkflow(file).jobs.prepare.steps?.find((step) => step.id === 'locate')?.run ?? '',
  );
  const locate = (env: Record<string, string>) => runStep('bash', ['-e', '-c', scripts[0]], env);

  test('is one script, copied verbatim', () => {
    expect(scripts[0]).toContain('GITHUB_OUTPUT');
    expect(new Set(scripts).size).toBe(1);
  });

  test('hands on the repository and commit of the workflow file', () => {
    const run = locate({ SHIPYARD_REPOSITORY: 'shipyard-dev/shipyard', SHIPYARD_SHA: SHA });
    expect(run.status).toBe(0);
    expect(run.outputs).toEqual({ repository: 'shipyard-dev/shipyard', sha: SHA });
  });

  test.each([
    ['no job.workflow_* (GitHub Enterprise Server)', { SHIPYARD_REPOSITORY: '', SHIPYARD_SHA: '' }],
    ['no repository', { SHIPYARD_REPOSITORY: '', SHIPYARD_SHA: SHA }],
    ['a ref instead of a commit', { SHIPYARD_REPOSITORY: 'shipyard-dev/shipyard', SHIPYARD_SHA: 'v1' }],
  ])('fails with an explanation, never falling back to the caller’s checkout: %s', (_, env) => {
    const run = locate(env);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error title=Shipyard::job.workflow_repository and job.workflow_sha are empty');
    expect(run.outputs).toEqual({});
  });
});

describe('workflow-inputs.mjs', () => {
  const script = join(SCRIPTS, 'workflow-inputs.mjs');
  const WEB = [{ container: 'web', repository: 'acme/web', file: 'docker/web.Dockerfile' }];
  const valid = {
    ENVIRONMENTS: 'staging, production',
    IMAGES: JSON.stringify(WEB),
    STAGING_CLUSTER: 'app-staging',
    STAGING_SERVICES: 'web\nworker',
    STAGING_TASK_DEFINITION: '.aws/task-definition-staging.json',
    PRODUCTION_CLUSTER: 'app-production',
    PRODUCTION_SERVICES: 'web, worker',
    PRODUCTION_TASK_DEFINITION: 'current',
    MIGRATION_COMMAND: '["python", "-m", "alembic", "upgrade", "head"]',
    GITHUB_SHA: SHA,
  };
  const check = (env: Record<string, string>) => runStep(process.execPath, [script], env);

  test('turns the inputs into what the jobs read: matrices, paths in the app/ checkout, migration defaults', () => {
    const run = check(valid);
    expect(run.status).toBe(0);
    const prefix = run.outputs['artifact-prefix'];
    expect(prefix).toMatch(/^shipyard-[0-9a-f]{12}-$/);
    expect({
      ...run.outputs,
      images: JSON.parse(run.outputs.images),
      targets: JSON.parse(run.outputs.targets),
    }).toEqual({
      staging: 'true',
      production: 'true',
      build: 'true',
      ghcr: 'false',
      'build-environment': 'staging',
      promote: 'true',
      'image-tags': '',
      'sql-directory': '',
      frontend: 'false',
      'frontend-directory': '',
      'frontend-artifact': '',
      'staging-frontend-bucket': '',
      'production-frontend-bucket': '',
      images: [
        {
          container: 'web',
          repository: 'acme/web',
          context: 'app',
          file: 'app/docker/web.Dockerfile',
          target: '',
          'build-args': '',
          artifact: `${prefix}web`,
        },
      ],
      targets: [
        {
          environment: 'staging',
          cluster: 'app-staging',
          services: 'web\nworker',
          'task-definition': 'app/.aws/task-definition-staging.json',
          'migration-service': 'web',
        },
        {
          environment: 'production',
          cluster: 'app-production',
          services: 'web\nworker',
          'task-definition': 'current',
          'migration-service': 'web',
        },
      ],
      'artifact-prefix': prefix,
      ecr: 'true',
      'migration-command': '["python","-m","alembic","upgrade","head"]',
      'migration-container': 'web',
      'plan-images': `web=acme/web:${SHA}`,
      'staging-task-definition': 'app/.aws/task-definition-staging.json',
      'staging-migration-service': 'web',
      'production-task-definition': 'current',
      'production-migration-service': 'web',
    });
  });

  test.each([
    ['', 'true'],
    ['123456789012.dkr.ecr.eu-north-1.amazonaws.com', 'true'],
    ['ghcr.io', 'false'],
  ])('registry %j → ecr=%s (promotion by digest is ECR only)', (registry, ecr) => {
    expect(check({ ...valid, REGISTRY: registry }).outputs.ecr).toBe(ecr);
  });

  test.each([
    ['', `web=acme/web:${SHA}`],
    ['ghcr.io', `web=ghcr.io/acme/web:${SHA}`],
    [
      '123456789012.dkr.ecr.eu-north-1.amazonaws.com',
      `web=123456789012.dkr.ecr.eu-north-1.amazonaws.com/acme/web:${SHA}`,
    ],
  ])('registry %j → the plan renders %s', (registry, planImages) => {
    expect(check({ ...valid, REGISTRY: registry }).outputs['plan-images']).toBe(planImages);
  });

  test('one Dockerfile built per service: build arguments of each image as KEY=value lines', () => {
    const images = ['api-gateway', 'music-service'].map((service, index) => ({
      container: service,
      repository: `aiponge-${service}`,
      file: 'deploy/docker/Dockerfile.service',
      'build-args': { SERVICE_PATH: `packages/services/${service}`, SERVICE_PORT: 8080 + index },
    }));
    const run = check({ ...valid, IMAGES: JSON.stringify(images), MIGRATION_CONTAINER: 'api-gateway' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.outputs.images).map((image: Record<string, string>) => image['build-args'])).toEqual([
      'SERVICE_PATH=packages/services/api-gateway\nSERVICE_PORT=8080',
      'SERVICE_PATH=packages/services/music-service\nSERVICE_PORT=8081',
    ]);
  });

  test('image tags: {branch}, {sha} and {sha7} filled in, the branch made a valid tag', () => {
    const run = check({
      ...valid,
      GITHUB_REF_NAME: 'feature/Weather alerts',
      IMAGE_TAGS: '{branch}-{sha7}, {branch}\nrelease-{sha}',
    });
    expect(run.outputs['image-tags']).toBe(`feature-Weather-alerts-aaaaaaa\nfeature-Weather-alerts\nrelease-${SHA}`);
  });

  test.each([
    ['staging, production', '', 'staging', 'true'],
    ['staging', '', 'staging', 'false'],
    // main deploys production alone: the build carries production-<sha>, nothing to promote, staging untouched.
    ['production', '', 'production', 'false'],
    ['staging, production', 'ghcr.io', 'staging', 'false'],
  ])('environments %j, registry %j → build tagged for %s, promote=%s', (environments, registry, tag, promote) => {
    const run = check({ ...valid, ENVIRONMENTS: environments, REGISTRY: registry });
    expect(run.outputs).toMatchObject({ 'build-environment': tag, promote, ghcr: String(registry === 'ghcr.io') });
  });

  test('no images: no build, no ECS settings needed; a frontend built once for the buckets of the environments', () => {
    const run = check({
      ENVIRONMENTS: 'staging, production',
      IMAGES: '[]',
      FRONTEND_BUILD_COMMAND: 'cd frontend && npm ci && npm run build',
      FRONTEND_DIRECTORY: './frontend/dist/',
      STAGING_FRONTEND_BUCKET: 'rideshare-staging-frontend',
      PRODUCTION_FRONTEND_BUCKET: 's3://rideshare-production-frontend/site/',
      SQL_MIGRATIONS_DIRECTORY: 'database/migrations',
      STAGING_SQL_BASELINE: '006_create_audit_log.sql',
    });
    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({
      build: 'false',
      promote: 'false',
      targets: '[]',
      frontend: 'true',
      'frontend-directory': 'frontend/dist',
      'frontend-artifact': expect.stringMatching(/^shipyard-frontend-[0-9a-f]{12}$/),
      'staging-frontend-bucket': 's3://rideshare-staging-frontend',
      'production-frontend-bucket': 's3://rideshare-production-frontend/site',
      'sql-directory': 'app/database/migrations',
    });
  });

  test.each([
    [
      { IMAGES: '[]', MIGRATION_COMMAND: '', STAGING_CLUSTER: 'app-staging' },
      '"staging-cluster" is set, but "images" is empty: there is nothing to deploy.',
    ],
    [
      {
        IMAGES: '[]',
        PRODUCTION_CLUSTER: '',
        PRODUCTION_SERVICES: '',
        PRODUCTION_TASK_DEFINITION: '',
        STAGING_CLUSTER: '',
        STAGING_SERVICES: '',
        STAGING_TASK_DEFINITION: '',
      },
      '"migration-command" runs in the new task definition, so "images" must list its image.',
    ],
    [
      { IMAGES: '[{"container": "web", "repository": "web", "build-args": ["A=1"]}]' },
      '"images"[0]["build-args"] must be an object of build arguments, e.g. {"SERVICE_PORT": "8080"}.',
    ],
    [
      { IMAGES: '[{"container": "web", "repository": "web", "build-args": {"SERVICE PORT": "1"}}]' },
      '"images"[0]["build-args"] has an invalid name "SERVICE PORT".',
    ],
    [{ IMAGE_TAGS: '{tag}' }, '"image-tags" has "{tag}"; it may use {branch}, {sha} and {sha7}.'],
    [
      { STAGING_SNAPSHOT_DB_INSTANCE: 'db', STAGING_SNAPSHOT_DB_CLUSTER: 'db' },
      '"staging-snapshot-db-instance" and "staging-snapshot-db-cluster" are both set',
    ],
    [
      { SQL_MIGRATIONS_DIRECTORY: 'database/migrations' },
      '"sql-migrations-directory" and "migration-command" are both set',
    ],
    [{ PRODUCTION_SQL_BASELINE: '004' }, '"production-sql-baseline" needs "sql-migrations-directory".'],
    [
      { FRONTEND_BUILD_COMMAND: 'npm run build' },
      '"frontend-build-command" and "frontend-directory" go together: the command builds, the directory is uploaded.',
    ],
    [
      { FRONTEND_BUILD_COMMAND: 'npm run build', FRONTEND_DIRECTORY: 'dist' },
      '"frontend-build-command" is set, but no selected environment has a "<environment>-frontend-bucket".',
    ],
    [
      { STAGING_FRONTEND_BUCKET: 'site' },
      '"staging-frontend-bucket" needs "frontend-build-command" and "frontend-directory".',
    ],
    [
      { FRONTEND_BUILD_COMMAND: 'b', FRONTEND_DIRECTORY: 'dist', STAGING_FRONTEND_BUCKET: 'Not_A_Bucket' },
      '"staging-frontend-bucket" must be an S3 bucket name or s3://bucket/prefix, got "Not_A_Bucket".',
    ],
  ])('%j → %s', (env, message) => {
    const run = check({ ...valid, ...env });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error title=Shipyard inputs::${message}`);
    expect(run.outputs).toEqual({});
  });

  test('only the environments asked for need settings; other sets of images get other artifact names', () => {
    const run = check({
      ENVIRONMENTS: 'production',
      IMAGES: JSON.stringify([{ container: 'api', repository: 'api' }]),
      PRODUCTION_CLUSTER: 'prod',
      PRODUCTION_SERVICES: 'api',
      PRODUCTION_TASK_DEFINITION: './task.json',
    });
    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({
      staging: 'false',
      production: 'true',
      'production-task-definition': 'app/task.json',
    });
    expect(run.outputs['artifact-prefix']).not.toBe(check(valid).outputs['artifact-prefix']);
  });

  test.each([
    ['ENVIRONMENTS', 'qa', '"environments" lists "qa"; it may list staging and production.'],
    ['ENVIRONMENTS', ' , ', '"environments" must name staging, production or both, got " , ".'],
    ['IMAGES', '{"container": "web"}', '"images" must be a JSON list of 0 to 20 images.'],
    [
      'IMAGES',
      'web=acme/web',
      '"images" must be a JSON list such as [{"container": "web", "repository": "my-app"}], got "web=acme/web".',
    ],
    [
      'IMAGES',
      '[{"container": "web app", "repository": "web"}]',
      '"images"[0].container must be the ECS container name (letters, digits, - and _), got "web app".',
    ],
    [
      'IMAGES',
      '[{"container": "web", "repository": "ghcr.io/Acme/web"}]',
      '"images"[0].repository must be a lower-case repository name without the registry host, got "ghcr.io/Acme/web".',
    ],
    [
      'IMAGES',
      '[{"container": "web", "repository": "web", "context": "../other"}]',
      '"images"[0].context must be a path inside your repository, got "../other".',
    ],
    [
      'IMAGES',
      '[{"container": "web", "repository": "a"}, {"container": "web", "repository": "b"}]',
      '"images" lists the container "web" twice.',
    ],
    ['STAGING_SERVICES', ' ', '"staging-services" is required because "environments" includes staging.'],
    [
      'PRODUCTION_TASK_DEFINITION',
      '/etc/task.json',
      '"production-task-definition" must be a path inside your repository, got "/etc/task.json".',
    ],
    [
      'MIGRATION_COMMAND',
      'alembic upgrade head',
      '"migration-command" must be a JSON list of strings such as ["npm","run","db:push"], got "alembic upgrade head".',
    ],
  ])('%s=%j → %s', (name, value, message) => {
    const run = check({ ...valid, [name]: value });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error title=Shipyard inputs::${message}`);
    expect(run.outputs).toEqual({});
  });

  test('several images and a migration need the migration container named', () => {
    const images = JSON.stringify([...WEB, { container: 'worker', repository: 'acme/worker' }]);
    expect(check({ ...valid, IMAGES: images }).stdout).toContain(
      '"migration-container" is required with "migration-command" when "images" lists 2 containers.',
    );
    const named = check({ ...valid, IMAGES: images, MIGRATION_CONTAINER: 'worker' });
    expect(named.outputs['migration-container']).toBe('worker');
  });
});

describe('collect-images.mjs', () => {
  const script = join(SCRIPTS, 'collect-images.mjs');
  const images = [
    { container: 'web', repository: 'web', artifact: 'shipyard-0123456789ab-web' },
    { container: 'worker', repository: 'team/worker', artifact: 'shipyard-0123456789ab-worker' },
  ];
  const downloaded = (refs: Record<string, string>) => {
    const dir = tempDir('shipyard-images-');
    for (const [artifact, ref] of Object.entries(refs)) writeFileSync(join(dir, `${artifact}.txt`), `${ref}\n`);
    return dir;
  };
  const host = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
  const collect = (dir: string) =>
    runStep(process.execPath, [script], { IMAGES: JSON.stringify(images), IMAGES_DIR: dir });

  test('writes the container=image map for ecs-deploy, the promotion matrix and a summary', () => {
    const run = collect(
      downloaded({
        'shipyard-0123456789ab-web': `${host}/web@${DIGEST}`,
        'shipyard-0123456789ab-worker': `${host}/team/worker@${DIGEST}`,
      }),
    );
    expect(run.status).toBe(0);
    expect(run.outputs.images).toBe(`web=${host}/web@${DIGEST}\nworker=${host}/team/worker@${DIGEST}`);
    expect(JSON.parse(run.outputs.promotions)).toEqual([
      { container: 'web', repository: 'web', digest: DIGEST },
      { container: 'worker', repository: 'team/worker', digest: DIGEST },
    ]);
    expect(run.summary).toContain(`| worker | \`${host}/team/worker@${DIGEST}\` |`);
  });

  test.each([
    [
      { 'shipyard-0123456789ab-web': `${host}/web@${DIGEST}` },
      'no image reference for container "worker" (artifact shipyard-0123456789ab-worker).',
    ],
    [
      {
        'shipyard-0123456789ab-web': `${host}/web:sha-abc1234`,
        'shipyard-0123456789ab-worker': `${host}/team/worker@${DIGEST}`,
      },
      `the build of "web" reported "${host}/web:sha-abc1234", not an image by digest.`,
    ],
  ])('refuses a release with an image missing or not pinned by digest (%#)', (refs, message) => {
    const run = collect(downloaded(refs));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error title=Shipyard images::${message}`);
    expect(run.outputs).toEqual({});
  });
});
