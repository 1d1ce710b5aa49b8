import type { Service } from '@aws-sdk/client-ecs';
import type { Inputs } from '../src/inputs';
import { configurationChange, inFlight } from '../src/plan';

jest.mock('@shipyard/platform/core', () => ({ ...jest.requireActual('@shipyard/platform/core'), notice: jest.fn() }));

const loadBalancers = [{ targetGroupArn: 'tg/blue', advancedConfiguration: { alternateTargetGroupArn: 'tg/green' } }];
const rolling: Service = { serviceName: 'web', deploymentConfiguration: { strategy: 'ROLLING', maximumPercent: 200 } };
const blueGreen: Service = {
  serviceName: 'web',
  loadBalancers,
  deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
};

function inputs(overrides: Partial<Inputs> = {}, verify: Partial<Inputs['verify']> = {}): Inputs {
  return {
    strategy: 'auto',
    addTestPauseHook: false,
    bakeTimeMs: undefined,
    ...overrides,
    verify: {
      urls: [],
      testUrls: [],
      expectation: { status: { codes: [200], classes: [] } },
      successes: 3,
      intervalMs: 5000,
      timeoutMs: 120_000,
      ...verify,
    },
  } as Inputs;
}

describe('inFlight', () => {
  test.each([
    [{ deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED' }] }, undefined],
    [
      {
        deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: 'td/web:2' }],
      },
      'ecs-svc/2 of td/web:2 is IN_PROGRESS',
    ],
    [
      {
        deployments: [
          { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: 'td/web:2' },
          { id: 'ecs-svc/1', status: 'ACTIVE' },
        ],
      },
      '2 deployments are still active (old tasks draining)',
    ],
  ] as [Service, string | undefined][])('%#', (service, expected) => {
    expect(inFlight(service)).toBe(expected);
  });
});

describe('configurationChange', () => {
  test('auto keeps the service as configured', () => {
    expect(configurationChange('web', rolling, inputs())).toEqual({
      strategy: 'ROLLING',
      change: undefined,
      pausesForTest: false,
    });
    expect(configurationChange('web', blueGreen, inputs())).toEqual({
      strategy: 'BLUE_GREEN',
      change: undefined,
      pausesForTest: false,
    });
  });

  test('a new strategy and bake time are sent with the rest of the configuration', () => {
    const service = { ...rolling, loadBalancers };
    expect(configurationChange('web', service, inputs({ strategy: 'canary', bakeTimeMs: 600_000 }))).toEqual({
      strategy: 'CANARY',
      change: { strategy: 'CANARY', maximumPercent: 200, bakeTimeInMinutes: 10 },
      pausesForTest: false,
    });
  });

  test('adds a PAUSE hook at the test traffic shift, keeping existing hooks, timing out into ROLLBACK', () => {
    const lambda = {
      targetType: 'AWS_LAMBDA' as const,
      hookTargetArn: 'fn',
      lifecycleStages: ['PRE_SCALE_UP' as const],
    };
    const service = {
      ...blueGreen,
      deploymentConfiguration: { ...blueGreen.deploymentConfiguration, lifecycleHooks: [lambda] },
    };
    const result = configurationChange(
      'web',
      service,
      inputs({ addTestPauseHook: true }, { testUrls: ['https://t/'], timeoutMs: 240_000 }),
    );
    expect(result.pausesForTest).toBe(true);
    expect(result.change?.lifecycleHooks).toEqual([
      lambda,
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 8, action: 'ROLLBACK' },
      },
    ]);
  });

  test('an existing PAUSE hook at the test stage is used as is', () => {
    const pause = { targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] };
    const service = {
      ...blueGreen,
      deploymentConfiguration: { ...blueGreen.deploymentConfiguration, lifecycleHooks: [pause] },
    };
    expect(
      configurationChange('web', service, inputs({ addTestPauseHook: true }, { testUrls: ['https://t/'] })),
    ).toEqual({
      strategy: 'BLUE_GREEN',
      change: undefined,
      pausesForTest: true,
    });
  });

  test.each([
    [
      rolling,
      inputs({ strategy: 'blue-green' }),
      'Service "web" cannot deploy BLUE_GREEN: it has no load balancer with an advancedConfiguration (alternate target group, listener rules, role) and no Service Connect. Configure the service for blue/green first, or use "strategy: rolling".',
    ],
    [
      rolling,
      inputs({ bakeTimeMs: 60_000 }),
      'Input "bake-time" on a rolling deployment is the time Shipyard keeps checking "verify-url" after the rollout, but "verify-url" is empty (service "web" deploys ROLLING).',
    ],
    [
      blueGreen,
      inputs({ bakeTimeMs: 30_000 }),
      'Input "bake-time" must be whole minutes from 0m to 24h for blue-green, linear and canary deployments (ECS bakeTimeInMinutes), got 30s.',
    ],
  ])('rejects %#', (service, given, message) => {
    expect(() => configurationChange('web', service, given)).toThrow(message);
  });
});
