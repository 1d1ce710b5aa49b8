import * as core from '@shipyard/platform/core';
import {
  buildSummary,
  newReport,
  outputs,
  planLines,
  setOutputs,
  type Report,
  type ServiceReport,
} from '../src/report';
import type { Inputs } from '../src/inputs';

jest.mock('@shipyard/platform/core', () => ({
  ...jest.requireActual('@shipyard/platform/core'),
  setOutput: jest.fn(),
}));

const td = (service: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${service}:${revision}`;
const SHA_2 = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SHA_5 = '5555555bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

const entry = (fields: Partial<ServiceReport>): ServiceReport => ({
  service: 'web',
  changes: [],
  result: 'planned',
  ...fields,
});
const web = entry({
  fromArn: td('web', 5),
  toArn: td('web', 2),
  fromGitSha: SHA_5,
  toGitSha: SHA_2,
  basis: 'the last revision whose deployment completed before the current one',
  method: 'update',
  changes: [{ scope: 'container "app"', what: 'image', before: 'example/web:v5', after: 'example/web:v2' }],
});
const api = entry({
  service: 'api',
  fromArn: td('api', 3),
  toArn: td('api', 3),
  basis: 'revision 3, as asked',
  method: 'none',
  result: 'unchanged',
});
const report = (fields: Partial<Report>): Report => ({
  cluster: 'prod',
  target: 'last-known-good',
  dryRun: false,
  services: [web, api],
  ...fields,
});

describe('newReport', () => {
  test('one planned entry per service, the target as written', () => {
    const inputs = {
      cluster: 'prod',
      services: ['web', 'api'],
      target: { kind: 'revision', revision: 3 },
      dryRun: true,
    } as Inputs;
    expect(newReport(inputs)).toEqual({
      cluster: 'prod',
      target: '3',
      dryRun: true,
      services: [entry({}), entry({ service: 'api' })],
    });
  });
});

describe('planLines', () => {
  test('from → to with git shas, the method, why, and the changes', () => {
    expect(planLines(web)).toEqual([
      'web: web:5 (git 5555555) → web:2 (git 1111111) — UpdateService',
      '  target: the last revision whose deployment completed before the current one',
      '  container "app": image: example/web:v5 → example/web:v2',
    ]);
  });

  test('a service already on its target lists no changes', () => {
    expect(planLines(api)).toEqual([
      'api: api:3 → api:3 — nothing to do: already on it',
      '  target: revision 3, as asked',
    ]);
  });
});

describe('outputs', () => {
  test.each([
    [
      'succeeded: every service on its target',
      { status: 'succeeded' as const, services: [{ ...web, result: 'succeeded' as const }, api] },
      { web: td('web', 2), api: td('api', 3) },
    ],
    [
      'dry run: the planned targets',
      { status: 'dry-run' as const, dryRun: true },
      { web: td('web', 2), api: td('api', 3) },
    ],
    [
      'failed: only the services that got there',
      { status: 'failed' as const, services: [{ ...web, result: 'failed' as const }, api] },
      { api: td('api', 3) },
    ],
    ['failed before planning', { services: [entry({})] }, {}],
  ])('%s', (_name, fields: Partial<Report>, rolledBackTo) => {
    const values = outputs(report(fields));
    expect(JSON.parse(values['rolled-back-to'])).toEqual(rolledBackTo);
    expect(values.status).toBe(fields.status ?? 'failed');
  });

  test('rolled-back-from and setOutputs', () => {
    setOutputs(report({ status: 'succeeded' }));
    expect(jest.mocked(core.setOutput).mock.calls).toEqual([
      ['rolled-back-to', JSON.stringify({ web: td('web', 2), api: td('api', 3) })],
      ['rolled-back-from', JSON.stringify({ web: td('web', 5), api: td('api', 3) })],
      ['status', 'succeeded'],
    ]);
  });
});

describe('buildSummary', () => {
  test('dry run: the plan, one row per service, the changes collapsed', () => {
    const markdown = buildSummary(report({ dryRun: true, status: 'dry-run' })).toMarkdown();
    expect(markdown).toContain('## Rollback plan (dry run: nothing changed) — cluster prod');
    expect(markdown).toContain(
      '| web | `web:5 (git 5555555)` | `web:2 (git 1111111)` | the last revision whose deployment completed before the current one | UpdateService | 📝 planned |',
    );
    expect(markdown).toContain(
      '| api | `api:3` | `api:3` | revision 3, as asked | nothing to do: already on it | ➖ unchanged |',
    );
    expect(markdown).toContain('<details><summary>web: what changes from web:5 to web:2</summary>');
    expect(markdown).toContain('| container "app" | image | `example/web:v5` | `example/web:v2` |');
    expect(markdown).not.toContain('what changes from api:3');
  });

  test('failure: the cause, the failed verification and the explanation', () => {
    const failed = {
      ...web,
      result: 'failed' as const,
      durationMs: 95_000,
      reason: 'service deployment ROLLBACK_FAILED',
      explanation: ['Why "web" failed: x', '  No stopped tasks of this revision.'],
    };
    const markdown = buildSummary(
      report({
        status: 'failed',
        failure: 'service "web" did not roll back: service deployment ROLLBACK_FAILED',
        services: [failed],
        verification: { urls: ['https://x.test/health'], passed: false, reason: '3 failed checks in a row' },
      }),
    ).toMarkdown();
    expect(markdown).toContain('## Rollback failed — cluster prod');
    expect(markdown).toContain('**Failed:** service "web" did not roll back: service deployment ROLLBACK_FAILED');
    expect(markdown).toContain('❌ failed in 1m35s: service deployment ROLLBACK_FAILED |');
    expect(markdown).toContain('**Verification failed** (`https://x.test/health`): 3 failed checks in a row');
    expect(markdown).toContain(
      '<details><summary>Why web failed</summary>\n\n```\nWhy "web" failed: x\n  No stopped tasks of this revision.\n```',
    );
  });
});
