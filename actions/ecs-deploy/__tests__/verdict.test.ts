import type { RunReport, ServiceReport } from '../src/report';
import { cancelledMessage, failureMessage } from '../src/verdict';

const td = (name: string, revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:${revision}`;
const where = { region: 'us-east-1', cluster: 'prod' };
const service = (name: string, result: ServiceReport['result'], detail?: string, now?: string): ServiceReport => ({
  service: name,
  from: td(name, 1),
  to: td(name, 2),
  strategy: 'ROLLING',
  result,
  detail,
  now,
  knownGood: td(name, 1),
});
const report = (services: ServiceReport[]): RunReport => ({
  status: 'failed',
  cluster: 'prod',
  region: 'us-east-1',
  services,
  changes: [],
  explanation: [],
  durationMs: 0,
});

describe('failureMessage', () => {
  test('names the failed service, the ones rolled back and the one not restored, with the command for it', () => {
    const message = failureMessage(
      where,
      report([
        service('api', 'rolled-back', 'rollout FAILED; ECS rolled back, now on api:1', td('api', 1)),
        service('web', 'rolled-back', 'redeployed, now on web:1', td('web', 1)),
        service('worker', 'rollback-failed', 'redeployed, but ecs:UpdateService failed', td('worker', 2)),
      ]),
      ['api'],
    );
    expect(message).toBe(
      '1 of 3 services failed (api: rollout FAILED; ECS rolled back, now on api:1). rolled back: web to web:1. ' +
        'NOT restored: worker (on worker:2); put back with `aws ecs update-service --region us-east-1 --cluster prod ' +
        `--service worker --task-definition ${td('worker', 1)}\`, or the rollback action`,
    );
  });

  test('one service: just its reason', () => {
    expect(
      failureMessage(where, report([service('web', 'rolled-back', 'timed out; now on web:1', td('web', 1))]), ['web']),
    ).toBe('web: timed out; now on web:1');
  });

  test('a refused update left the service where it was: nothing to restore', () => {
    const refused = service('web', 'failed', 'ecs:UpdateService failed: AccessDeniedException', td('web', 1));
    expect(failureMessage(where, report([refused]), ['web'])).not.toContain('NOT restored');
  });
});

describe('cancelledMessage', () => {
  const moving = [{ service: 'web', taskDefinitionArn: td('web', 2), previousTaskDefinitionArn: td('web', 1) }];
  test('names each service moving and where the post step puts it', () => {
    expect(cancelledMessage({ ...where, rollbackOnCancel: true }, moving)).toBe(
      'cancelled while deploying web (web:1 → web:2); the post step puts web back on web:1',
    );
  });
  test('without rollback-on-cancel: the command that puts it back', () => {
    expect(cancelledMessage({ ...where, rollbackOnCancel: false }, moving)).toContain(
      `"rollback-on-cancel" is false, so nothing is rolled back: put back with \`aws ecs update-service --region us-east-1 --cluster prod --service web --task-definition ${td('web', 1)}\``,
    );
  });
});
