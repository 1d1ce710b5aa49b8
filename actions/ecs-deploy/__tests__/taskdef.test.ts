import type { RenderChanges } from '../src/render';
import { changesForContainers, checkContainersExistSomewhere, containerNames } from '../src/taskdef';

const changes: RenderChanges = {
  container: 'web',
  images: { web: 'repo/web:v2', api: 'repo/api:v2' },
  env: [
    { name: 'LOG_LEVEL', value: 'debug' },
    { container: 'api', name: 'POOL', value: '5' },
  ],
  secrets: [{ container: 'web', name: 'DB', value: 'arn' }],
  tags: {},
};

describe('changesForContainers', () => {
  test('keeps the lines for containers this task definition has, and unprefixed ones', () => {
    expect(changesForContainers(changes, ['api'])).toEqual({
      container: undefined,
      images: { api: 'repo/api:v2' },
      env: changes.env,
      secrets: [],
      tags: {},
    });
    expect(changesForContainers(changes, ['web'])).toEqual({
      container: 'web',
      images: { web: 'repo/web:v2' },
      env: [{ name: 'LOG_LEVEL', value: 'debug' }],
      secrets: changes.secrets,
      tags: {},
    });
  });
});

describe('checkContainersExistSomewhere', () => {
  test('passes when each named container is in one of the task definitions', () => {
    expect(() => checkContainersExistSomewhere(changes, new Set(['web', 'api']), [])).not.toThrow();
  });

  test('names the input, the container and every task definition', () => {
    expect(() =>
      checkContainersExistSomewhere(
        { ...changes, container: undefined, images: { wrk: 'x:1' } },
        new Set(['web', 'api']),
        ['web:1 of "web"', 'api:3 of "api"'],
      ),
    ).toThrow(
      'Input "images" names the container "wrk", which none of the task definitions has (web:1 of "web"; api:3 of "api"; containers "web", "api").',
    );
  });
});

test('containerNames', () => {
  expect(containerNames({ containerDefinitions: [{ name: 'a' }, { name: 'b' }] })).toEqual(['a', 'b']);
});
