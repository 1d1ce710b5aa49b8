import { buildSummary, consoleUrl, perService, runStatus, type RunReport, type ServiceReport } from '../src/report';

const td = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;
const service = (name: string, result: ServiceReport['result'], detail?: string): ServiceReport => ({
  service: name,
  from: td(name, 1),
  to: td(name, 2),
  strategy: 'ROLLING',
  result,
  durationMs: 61_400,
  deploymentId: `ecs-svc/${name}`,
  detail,
});

describe('runStatus', () => {
  test.each([
    [['succeeded', 'unchanged'], false, 'succeeded'],
    [['started', 'unchanged'], false, 'started'],
    [['rolled-back', 'rolled-back', 'unchanged'], false, 'rolled-back'],
    [['rolled-back', 'rollback-failed'], false, 'failed'],
    [['failed'], false, 'failed'],
    [['timed-out'], false, 'failed'],
    [['succeeded'], true, 'cancelled'],
  ] as const)('%j cancelled=%s → %s', (results, cancelled, status) => {
    expect(
      runStatus(
        results.map((r, i) => service(`s${i}`, r)),
        cancelled,
      ),
    ).toBe(status);
  });
});

describe('perService', () => {
  test('one service: the plain value; several: service=value lines', () => {
    expect(perService([service('web', 'succeeded')], (s) => s.deploymentId)).toBe('ecs-svc/web');
    expect(perService([service('web', 'succeeded'), service('api', 'succeeded')], (s) => s.deploymentId)).toBe(
      'web=ecs-svc/web\napi=ecs-svc/api',
    );
  });
});

describe('consoleUrl', () => {
  test.each([
    [
      'us-east-1',
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/deployments?region=us-east-1',
    ],
    [
      'cn-north-1',
      'https://cn-north-1.console.amazonaws.cn/ecs/v2/clusters/prod/services/web/deployments?region=cn-north-1',
    ],
  ])('%s', (region, url) => {
    expect(consoleUrl(region, 'prod', 'web')).toBe(url);
  });
});

describe('buildSummary', () => {
  const report: RunReport = {
    status: 'rolled-back',
    cluster: 'prod',
    region: 'us-east-1',
    services: [service('web', 'rolled-back', 'rollout FAILED; ECS rolled back to web:1')],
    changes: [
      {
        from: td('web', 1),
        to: td('web', 2),
        changes: [{ scope: 'container "app"', what: 'image', before: 'repo:v1', after: 'repo:v2' }],
      },
    ],
    explanation: ['Why "web" failed: rollout FAILED', '  container "app": exit code 3'],
    durationMs: 75_000,
  };

  test('a row per service, the diff collapsed, the explanation fenced', () => {
    expect(buildSummary(report).toMarkdown()).toBe(
      [
        '## ECS deploy failed and rolled back: web (prod)',
        '',
        '| Service | From → to | Strategy | Duration | Result | Console |',
        '| --- | --- | --- | --- | --- | --- |',
        `| web | web:1 → web:2 | ROLLING | 1m1s | ↩️ rolled back<br>rollout FAILED; ECS rolled back to web:1 | [deployments](${consoleUrl('us-east-1', 'prod', 'web')}) |`,
        '',
        '<details><summary>Task definition changes: web:1 → web:2 (1)</summary>',
        '',
        '| Where | What | Before | After |',
        '| --- | --- | --- | --- |',
        '| container "app" | image | `repo:v1` | `repo:v2` |',
        '',
        '</details>',
        '',
        '### Why it failed',
        '',
        '```',
        'Why "web" failed: rollout FAILED',
        '  container "app": exit code 3',
        '```',
        '',
        'Took 1m15s.',
        '',
      ].join('\n'),
    );
  });

  test('no explanation section on success', () => {
    const markdown = buildSummary({
      ...report,
      status: 'succeeded',
      explanation: [],
      services: [service('web', 'succeeded')],
    }).toMarkdown();
    expect(markdown).toContain('## ECS deploy deployed: web (prod)');
    expect(markdown).toContain('✅ succeeded');
    expect(markdown).not.toContain('Why it failed');
  });
});
