import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { defaultContainer, mergeTagList, render, toRegisterRequest, type RenderChanges } from '../src/render';
import { described } from './fixtures/task-definitions';

const none: RenderChanges = { images: {}, env: [], secrets: [], tags: {} };

describe('toRegisterRequest', () => {
  test('drops read-only fields and nulls, keeps the rest', () => {
    const request = toRegisterRequest(described);
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
      'ipcMode',
    ]) {
      expect(request).not.toHaveProperty(field);
    }
    expect(request).toMatchObject({ family: 'web', cpu: '256', requiresCompatibilities: ['FARGATE'] });
    expect(request.containerDefinitions?.[1]).toEqual({ name: 'envoy', image: 'envoy:1' });
  });
});

describe('render', () => {
  const base = toRegisterRequest(described);

  test('applies images, env, secrets, command, cpu, memory and tags; leaves the input untouched', () => {
    const before = structuredClone(base);
    const rendered = render(base, {
      container: 'web',
      images: { web: 'repo/web:v2', envoy: 'envoy:2' },
      env: [
        { name: 'LOG_LEVEL', value: 'debug' },
        { container: 'envoy', name: 'ADMIN_PORT', value: '9901' },
      ],
      secrets: [{ name: 'API_KEY', value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api' }],
      command: ['node', 'server.js'],
      cpu: '512',
      memory: '1024',
      tags: { 'git-sha': 'abc' },
    });
    expect(base).toEqual(before);
    expect(rendered).toMatchObject({ cpu: '512', memory: '1024', tags: [{ key: 'git-sha', value: 'abc' }] });
    expect(rendered.containerDefinitions).toEqual([
      {
        name: 'web',
        image: 'repo/web:v2',
        environment: [{ name: 'LOG_LEVEL', value: 'debug' }],
        secrets: [
          { name: 'DB_URL', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' },
          { name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api' },
        ],
        command: ['node', 'server.js'],
      },
      { name: 'envoy', image: 'envoy:2', environment: [{ name: 'ADMIN_PORT', value: '9901' }] },
    ]);
  });

  test('no changes and no tags leave the request as it was', () => {
    expect(render(base, none)).toEqual(base);
  });
});

describe('defaultContainer', () => {
  const one = { family: 'x', containerDefinitions: [{ name: 'only' }] } as RegisterTaskDefinitionRequest;
  const two = toRegisterRequest(described);
  test.each([
    [one, undefined, 'only'],
    [two, undefined, undefined],
    [two, 'envoy', 'envoy'],
  ])('%#', (request, named, expected) => {
    expect(defaultContainer(request, named)).toBe(expected);
  });
});

describe('mergeTagList', () => {
  test('new values win, order is stable', () => {
    expect(
      mergeTagList(
        [
          { key: 'git-sha', value: 'old' },
          { key: 'team', value: 'a' },
        ],
        { 'git-sha': 'new', env: 'prod' },
      ),
    ).toEqual([
      { key: 'git-sha', value: 'new' },
      { key: 'team', value: 'a' },
      { key: 'env', value: 'prod' },
    ]);
  });
});
