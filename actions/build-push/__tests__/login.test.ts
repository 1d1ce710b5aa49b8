import * as core from '@shipyard/platform/core';
import { DeploymentFailure } from '@shipyard/platform/errors';
import type { DockerResult } from '../src/docker';
import { decodeAuthorizationToken, dockerLogin, ecrCredentials, logoutAll } from '../src/login';
import { fakeEcr } from './fixtures/fake-ecr';

// A plain object copy of the module, so jest.spyOn can replace its functions.
jest.mock('@shipyard/platform/core', () => ({ __esModule: true, ...jest.requireActual('@shipyard/platform/core') }));

const token = (password: string) => Buffer.from(`AWS:${password}`).toString('base64');
const ok: DockerResult = { exitCode: 0, stdout: 'Login Succeeded', stderr: '', tail: ['Login Succeeded'] };

let setSecret: jest.SpyInstance;
let saveState: jest.SpyInstance;
beforeEach(() => {
  setSecret = jest.spyOn(core, 'setSecret').mockImplementation(() => undefined);
  saveState = jest.spyOn(core, 'saveState').mockImplementation(() => undefined);
  jest.spyOn(core, 'info').mockImplementation(() => undefined);
  jest.spyOn(core, 'warning').mockImplementation(() => undefined);
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.STATE_logged_in_registries;
  delete process.env['STATE_logged-in-registries'];
});

describe('decodeAuthorizationToken', () => {
  test('splits at the first colon and masks token and password', () => {
    expect(decodeAuthorizationToken(token('pa:ss'))).toEqual({ username: 'AWS', password: 'pa:ss' });
    expect(setSecret).toHaveBeenCalledWith(token('pa:ss'));
    expect(setSecret).toHaveBeenCalledWith('pa:ss');
  });

  test.each(['', Buffer.from('nocolon').toString('base64'), Buffer.from('AWS:').toString('base64')])(
    '%j is rejected',
    (bad) => {
      expect(() => decodeAuthorizationToken(bad)).toThrow(DeploymentFailure);
    },
  );
});

describe('ecrCredentials', () => {
  const data = (account: string, password: string) => ({
    authorizationToken: token(password),
    proxyEndpoint: `https://${account}.dkr.ecr.us-east-1.amazonaws.com`,
  });

  test('a known account and extra registries in one call', async () => {
    const ecr = fakeEcr({
      getAuthorizationToken: async () => ({
        authorizationData: [data('111111111111', 'p1'), data('222222222222', 'p2')],
      }),
    });
    const credentials = await ecrCredentials(ecr, '111111111111', ['222222222222', '111111111111']);
    expect(ecr.getAuthorizationToken).toHaveBeenCalledWith({ registryIds: ['111111111111', '222222222222'] });
    expect(credentials).toEqual([
      { registry: '111111111111.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS', password: 'p1' },
      { registry: '222222222222.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS', password: 'p2' },
    ]);
  });

  test('the default registry first, then the extra ids', async () => {
    const ecr = fakeEcr({
      getAuthorizationToken: async (input) => ({
        authorizationData: input.registryIds ? [data('333333333333', 'p3')] : [data('111111111111', 'p1')],
      }),
    });
    const credentials = await ecrCredentials(ecr, undefined, ['333333333333']);
    expect(ecr.getAuthorizationToken.mock.calls).toEqual([[{}], [{ registryIds: ['333333333333'] }]]);
    expect(credentials.map((c) => c.registry)).toEqual([
      '111111111111.dkr.ecr.us-east-1.amazonaws.com',
      '333333333333.dkr.ecr.us-east-1.amazonaws.com',
    ]);
  });

  test('no authorization data is an error', async () => {
    const ecr = fakeEcr({ getAuthorizationToken: async () => ({ authorizationData: [] }) });
    await expect(ecrCredentials(ecr, undefined, [])).rejects.toThrow('ECR returned no authorization data.');
  });
});

describe('dockerLogin', () => {
  test('the password goes through stdin only, is masked, and the registry is saved for logout', async () => {
    const docker = jest.fn(async () => ok);
    await dockerLogin({ registry: 'ghcr.io', username: 'bot', password: 'ghp_s3cret' }, docker);
    expect(docker).toHaveBeenCalledWith(['login', '--username', 'bot', '--password-stdin', 'ghcr.io'], {
      input: 'ghp_s3cret',
      silent: true,
    });
    expect(setSecret).toHaveBeenCalledWith('ghp_s3cret');
    expect(saveState).toHaveBeenLastCalledWith('logged-in-registries', expect.stringContaining('"ghcr.io"'));
  });

  test('a failed login shows docker’s own words', async () => {
    const docker = jest.fn(async () => ({
      exitCode: 1,
      stdout: '',
      stderr: 'denied',
      tail: ['Error response from daemon: denied'],
    }));
    const error = (await dockerLogin({ registry: 'r.example.com', username: 'u', password: 'p' }, docker).catch(
      (e: unknown) => e,
    )) as DeploymentFailure;
    expect(error.message).toBe('docker login to r.example.com failed (exit code 1)');
    expect(error.details).toBe('Error response from daemon: denied');
  });
});

describe('logoutAll', () => {
  test('logs out of every saved registry; a failure is a warning', async () => {
    process.env['STATE_logged-in-registries'] = JSON.stringify(['a.example.com', 'b.example.com']);
    const docker = jest.fn(async (args: string[]) =>
      args[1] === 'a.example.com' ? ok : { exitCode: 1, stdout: '', stderr: 'x', tail: ['not logged in'] },
    );
    await logoutAll(docker);
    expect(docker.mock.calls.map((call) => call[0])).toEqual([
      ['logout', 'a.example.com'],
      ['logout', 'b.example.com'],
    ]);
    expect(core.warning).toHaveBeenCalledWith('docker logout b.example.com failed (exit code 1): not logged in');
  });

  test('nothing saved, nothing done', async () => {
    const docker = jest.fn(async () => ok);
    await logoutAll(docker);
    expect(docker).not.toHaveBeenCalled();
  });
});
