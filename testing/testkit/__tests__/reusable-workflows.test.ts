import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  actionInputs,
  inputProblems,
  LOCAL_ACTION,
  needsOf,
  reusableWorkflow,
  stepsOf,
  WORKFLOWS,
  type Job,
  type Step,
} from './workflow-files';

// The reusable workflows, read as data: the job graph issue 8 describes, least-privilege permissions, one deploy
// per environment at a time, our actions at the workflow's own commit, and inputs that exist.

const FILES = ['deploy.yml', 'rollback.yml', 'pr-checks.yml'] as const;
const deploy = reusableWorkflow('deploy.yml');
const rollback = reusableWorkflow('rollback.yml');
const prChecks = reusableWorkflow('pr-checks.yml');
const byFile = { 'deploy.yml': deploy, 'rollback.yml': rollback, 'pr-checks.yml': prChecks };

/** Third-party actions we run, each pinned to a reviewed commit (the version in the line's comment). */
const PINNED: Record<string, string> = {
  'actions/checkout': '11bd71901bbe5b1630ceea73d27597364c9af683',
  'actions/setup-node': '49933ea5288caeca8642d1e84afbd3f7d6820020',
  'actions/upload-artifact': 'ea165f8d65b6e75b540449e92b4886f43607fa02',
  'actions/download-artifact': 'd3f86a106a0bac45b974a628896c90dbdf5c8093',
  'aws-actions/configure-aws-credentials': 'e3dd6a429d7300a6a4c196c26e071d42e0343502',
  'docker/setup-buildx-action': 'e468171a9de216ec08956ac3ada2f0791b6bd435',
};

const SHIPYARD_CHECKOUT = {
  repository: '${{ needs.prepare.outputs.shipyard-repository }}',
  ref: '${{ needs.prepare.outputs.shipyard-sha }}',
};

/** A step as `uses` without the ref, or `run`: enough to compare step orders. */
function kind(step: Step): string {
  if (step.run !== undefined) return 'run';
  return (step.uses ?? '').replace(/@.*$/, '');
}

const environmentName = (job: Job) => (typeof job.environment === 'string' ? job.environment : job.environment?.name);

describe('deploy.yml', () => {
  test('the job graph: test → build once (images, frontend) → staging → promote → production', () => {
    const graph = Object.fromEntries(Object.entries(deploy.jobs).map(([name, job]) => [name, needsOf(job).sort()]));
    expect(graph).toEqual({
      prepare: [],
      test: [],
      frontend: ['prepare', 'test'],
      build: ['prepare', 'test'],
      images: ['build', 'prepare'],
      staging: ['frontend', 'images', 'prepare'],
      promote: ['images', 'prepare', 'staging'],
      production: ['frontend', 'images', 'prepare', 'promote', 'staging'],
    });
  });

  test.each([
    ['prepare', { contents: 'read' }],
    ['test', { contents: 'read' }],
    ['frontend', { contents: 'read' }],
    // packages: write for GHCR with the job's own token (GitHub checks it before any `if:`).
    ['build', { contents: 'read', 'id-token': 'write', packages: 'write' }],
    ['images', { contents: 'read' }],
    ['staging', { contents: 'read', 'id-token': 'write', deployments: 'write' }],
    ['promote', { contents: 'read', 'id-token': 'write' }],
    ['production', { contents: 'read', 'id-token': 'write', deployments: 'write' }],
  ])('job %s gets only the permissions it needs', (job, permissions) => {
    expect(deploy.jobs[job].permissions).toEqual(permissions);
  });

  test('staging and production run in their GitHub environments; production defaults to `production`', () => {
    const withEnvironment = Object.entries(deploy.jobs).filter(([, job]) => job.environment !== undefined);
    expect(withEnvironment.map(([name, job]) => [name, environmentName(job)])).toEqual([
      ['staging', '${{ inputs.staging-environment }}'],
      ['production', '${{ inputs.production-environment }}'],
    ]);
    expect(deploy.on.workflow_call?.inputs?.['production-environment'].default).toBe('production');
  });

  test.each(['staging', 'production'])('%s: one deploy per environment, never cancelled midway', (name) => {
    expect(deploy.jobs[name].concurrency).toEqual({
      group: `shipyard-deploy-\${{ github.repository }}-\${{ inputs.${name}-environment }}`,
      'cancel-in-progress': false,
    });
  });

  test.each(['staging', 'production'])(
    '%s: register → migrate (task or SQL files) → deploy and verify → frontend → invalidate → smoke tests',
    (name) => {
      const job = deploy.jobs[name];
      const steps = job.steps ?? [];
      expect(steps.map(kind)).toEqual([
        'actions/checkout',
        'actions/checkout',
        'aws-actions/configure-aws-credentials',
        './actions/ecs-deploy',
        './actions/migrate',
        './actions/migrate',
        './actions/ecs-deploy',
        'actions/download-artifact',
        'run',
        './actions/invalidate-cdn',
        'actions/setup-node',
        'run',
      ]);
      const [register, migrate, sql, release, download, upload] = steps.slice(3, 9);
      expect(register.with?.mode).toBe('register');
      expect(migrate.with?.['task-definition']).toBe('${{ steps.register.outputs.task-definition-arn }}');
      expect(migrate.with?.['snapshot-db-cluster']).toBe(`\${{ inputs.${name}-snapshot-db-cluster }}`);
      // The SQL files run on this job's runner, against this environment's database only.
      expect(sql.with).toMatchObject({ mode: 'runner', 'sql-baseline': `\${{ inputs.${name}-sql-baseline }}` });
      expect(sql.env).toEqual({ DATABASE_URL: `\${{ secrets.${name.toUpperCase()}_DATABASE_URL }}` });
      expect(release.with?.mode).toBeUndefined();
      expect(release.with?.['verify-url']).toBe(`\${{ inputs.${name}-verify-url }}`);
      // The images built once, by digest, and the frontend built once, in both environments.
      expect(release.with?.images).toBe('${{ needs.images.outputs.images }}');
      expect(download.with?.name).toBe('${{ needs.prepare.outputs.frontend-artifact }}');
      expect(upload.env?.BUCKET).toBe(`\${{ needs.prepare.outputs.${name}-frontend-bucket }}`);
      expect(job['runs-on']).toBe('${{ fromJSON(inputs.runs-on) }}');
    },
  );

  test('GHCR pushes log in with the job token unless credentials are given; build arguments and tags per image', () => {
    const build = (deploy.jobs.build.steps ?? []).find((step) => step.uses === './actions/build-push');
    expect(build?.with).toMatchObject({
      username: "${{ secrets.REGISTRY_USERNAME || (needs.prepare.outputs.ghcr == 'true' && github.actor || '') }}",
      password: "${{ secrets.REGISTRY_PASSWORD || (needs.prepare.outputs.ghcr == 'true' && github.token || '') }}",
      'build-args': '${{ matrix.image.build-args }}',
      tags: '${{ needs.prepare.outputs.image-tags }}',
      'tag-environment': '${{ needs.prepare.outputs.build-environment }}',
    });
    expect(deploy.jobs.promote.if).toContain("needs.prepare.outputs.promote == 'true'");
  });

  test('images are built in one job only; production promotes the digest that passed staging', () => {
    const buildPush = stepsOf(deploy).filter(({ step }) => step.uses === './actions/build-push');
    expect(buildPush.map(({ job, step }) => [job, step.with?.['promote-from'] === undefined])).toEqual([
      ['build', true],
      ['promote', false],
    ]);
    const promotion = buildPush[1].step.with ?? {};
    expect(promotion['promote-from']).toBe('${{ matrix.image.digest }}');
    expect(Object.keys(promotion)).not.toEqual(expect.arrayContaining(['context']));
    expect(deploy.jobs.promote.strategy?.matrix?.image).toBe('${{ fromJSON(needs.images.outputs.promotions) }}');
    expect(deploy.jobs.production.steps?.some((step) => step.uses === './actions/build-push')).toBe(false);
  });

  test('downstream jobs run when tests were skipped, never after a failure or cancellation', () => {
    for (const name of ['frontend', 'build', 'images', 'staging', 'promote', 'production']) {
      expect(deploy.jobs[name].if).toMatch(/^\$\{\{ !cancelled\(\) && !failure\(\)/);
    }
    expect(deploy.on.workflow_call?.outputs?.images.value).toBe('${{ jobs.images.outputs.images }}');
  });
});

describe('rollback.yml', () => {
  test('the same inputs by hand and from another workflow; by hand it is a dry run unless unticked', () => {
    const dispatch = rollback.on.workflow_dispatch?.inputs ?? {};
    const call = rollback.on.workflow_call?.inputs ?? {};
    expect(Object.keys(dispatch)).toEqual(Object.keys(call));
    expect(dispatch.environment).toMatchObject({ type: 'choice', options: ['staging', 'production'] });
    expect(dispatch['dry-run'].default).toBe(true);
    expect(call['dry-run'].default).toBe(false);
    expect(call.target.default).toBe('last-known-good');
  });

  test('waits for a deploy of the same environment: deploy.yml and rollback.yml share the concurrency group', () => {
    const job = rollback.jobs.rollback;
    const deployGroup = deploy.jobs.production.concurrency?.group.replace('production-environment', 'environment');
    expect(job.concurrency).toEqual({ group: deployGroup, 'cancel-in-progress': false });
    expect(environmentName(job)).toBe('${{ inputs.environment }}');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', deployments: 'write' });
    expect((job.steps ?? []).map(kind)).toEqual([
      'actions/checkout',
      'aws-actions/configure-aws-credentials',
      './actions/rollback',
    ]);
  });
});

describe('pr-checks.yml', () => {
  test('one check with a fixed name depends on every other job and always reports', () => {
    const result = prChecks.jobs.result;
    expect(result.name).toBe('PR checks');
    expect(result.if).toBe('always()');
    expect(needsOf(result).sort()).toEqual(
      Object.keys(prChecks.jobs)
        .filter((name) => name !== 'result')
        .sort(),
    );
  });

  test('the plan renders and diffs without deploying, for every environment, with read access only', () => {
    const plan = prChecks.jobs.plan;
    expect(plan.strategy).toMatchObject({ 'fail-fast': false, matrix: { target: expect.stringContaining('targets') } });
    const ecsDeploy = (plan.steps ?? []).filter((step) => step.uses === './actions/ecs-deploy');
    expect(ecsDeploy.map((step) => step.with?.mode)).toEqual(['plan']);
    for (const job of Object.values(prChecks.jobs)) {
      expect(job.environment).toBeUndefined();
      expect(Object.values(job.permissions ?? {}).filter((level) => level === 'write')).toEqual(
        job === plan ? ['write'] : [],
      );
    }
    expect(plan.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });
});

describe.each(FILES)('%s', (file) => {
  const workflow = byFile[file];
  const raw = readFileSync(join(WORKFLOWS, file), 'utf8');

  test('starts with no token permissions; every job declares its own', () => {
    expect(workflow.permissions).toEqual({});
    for (const job of Object.values(workflow.jobs)) expect(job.permissions).toBeDefined();
  });

  test('every job that runs our actions checks Shipyard out at this workflow’s commit, at the workspace root', () => {
    const jobs = Object.entries(workflow.jobs).filter(([, job]) =>
      (job.steps ?? []).some((step) => LOCAL_ACTION.test(step.uses ?? '')),
    );
    expect(jobs.length).toBeGreaterThan(0);
    for (const [, job] of jobs) {
      const [first, ...rest] = job.steps ?? [];
      expect(needsOf(job)).toContain('prepare');
      expect(kind(first)).toBe('actions/checkout');
      expect(first.with).toMatchObject(SHIPYARD_CHECKOUT);
      expect(first.with?.path).toBeUndefined();
      // Any later checkout (the application) goes elsewhere, so nothing replaces ./actions.
      for (const step of rest.filter((s) => kind(s) === 'actions/checkout')) expect(step.with?.path).toBe('app');
    }
    expect(raw).not.toMatch(/[\w.-]+\/shipyard\/actions\//);
  });

  test('the first job locates this workflow from the job context and hands it on', () => {
    const prepare = workflow.jobs.prepare;
    expect(needsOf(prepare)).toEqual([]);
    expect(prepare.outputs).toMatchObject({
      'shipyard-repository': '${{ steps.locate.outputs.repository }}',
      'shipyard-sha': '${{ steps.locate.outputs.sha }}',
    });
    const locate = (prepare.steps ?? [])[0];
    expect(locate.env).toEqual({
      SHIPYARD_REPOSITORY: '${{ fromJSON(toJSON(job)).workflow_repository }}',
      SHIPYARD_SHA: '${{ fromJSON(toJSON(job)).workflow_sha }}',
    });
  });

  test.each(stepsOf(workflow).filter(({ step }) => LOCAL_ACTION.test(step.uses ?? '')))(
    'job $job step $index ($step.uses) passes only inputs the action declares, and every required one',
    ({ step }) => {
      const action = LOCAL_ACTION.exec(step.uses ?? '')?.[1] ?? '';
      expect(inputProblems(step.with, actionInputs(action))).toEqual({ unknown: [], missing: [] });
    },
  );

  test('run: scripts take nothing from expressions (inputs and events arrive through env:)', () => {
    const scripts = stepsOf(workflow).filter(({ step }) => step.run !== undefined);
    expect(scripts.length).toBeGreaterThan(0);
    for (const { step } of scripts) expect(step.run).not.toContain('${{');
  });

  test('third-party actions are pinned to reviewed commits with the version in a comment', () => {
    const uses = [...raw.matchAll(/^\s*(?:- )?uses: (?!\.\/)(\S+)(.*)$/gm)];
    for (const [, reference, comment] of uses) {
      const [action, sha] = reference.split('@');
      expect([action, sha]).toEqual([action, PINNED[action]]);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });
});
