import * as core from '../src/core';
import { AccessDeniedException, ECSServiceException } from '@aws-sdk/client-ecs';
import {
  AwsOperationError,
  ConfigError,
  DeploymentFailure,
  FailureWithOutcome,
  asAwsOperationError,
  describeError,
  isAccessDenied,
  isAwsSdkError,
  isTransientError,
  mayHaveBeenApplied,
  rememberAwsOperation,
  runAction,
  withOutcome,
  type StepOutcome,
} from '../src/errors';

jest.mock('../src/core');
const mockedCore = jest.mocked(core);

const metadata = { httpStatusCode: 400, requestId: 'req-123', attempts: 1, totalRetryDelay: 0 };

function accessDenied(): AccessDeniedException {
  return new AccessDeniedException({
    message: 'User: arn:aws:sts::123456789012:assumed-role/deploy is not authorized to perform: ecs:UpdateService',
    $metadata: metadata,
  });
}

function unknownServerError(): ECSServiceException {
  return new ECSServiceException({
    name: 'UnknownError',
    $fault: 'server',
    message: '',
    $metadata: { httpStatusCode: 503 },
  });
}

function tagged<E>(error: E, operation: string): E {
  rememberAwsOperation(error, operation);
  return error;
}

describe('describeError', () => {
  test.each<[string, () => unknown, string]>([
    [
      'a ConfigError',
      () => new ConfigError('Input "x" is required but was empty or not set.'),
      'Input "x" is required but was empty or not set.',
    ],
    ['a multi-line Error', () => new Error('first line\nsecond line'), 'first line'],
    ['an Error without message', () => new TypeError(''), 'TypeError'],
    ['a thrown string', () => 'just text', 'just text'],
    ['a thrown undefined', () => undefined, 'undefined'],
    [
      'an AwsOperationError',
      () => new AwsOperationError('ecr:PutImage', new Error('socket hang up')),
      'ecr:PutImage failed: socket hang up',
    ],
    [
      'an SDK error from a createClient client (operation remembered)',
      () => tagged(accessDenied(), 'ecs:UpdateService'),
      'ecs:UpdateService failed: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/deploy ' +
        'is not authorized to perform: ecs:UpdateService',
    ],
    [
      'an SDK error of unknown operation',
      () => accessDenied(),
      'AWS request failed: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/deploy ' +
        'is not authorized to perform: ecs:UpdateService',
    ],
    [
      'an unmodelled SDK error without message',
      () => tagged(unknownServerError(), 'ecs:DescribeServices'),
      'ecs:DescribeServices failed: UnknownError (HTTP 503)',
    ],
    [
      'a network error during an AWS call',
      () => tagged(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'ecs:ListClusters'),
      'ecs:ListClusters failed: connect ECONNREFUSED 127.0.0.1:1',
    ],
    [
      'a DeploymentFailure',
      () => new DeploymentFailure('deployment ecs-svc/1 failed', 'details'),
      'deployment ecs-svc/1 failed',
    ],
  ])('%s', (_, makeError, expected) => expect(describeError(makeError())).toBe(expected));
});

describe('AwsOperationError', () => {
  test('keeps the operation, the AWS error code and the cause', () => {
    const cause = accessDenied();
    const error = new AwsOperationError('ecs:UpdateService', cause);
    expect(error).toMatchObject({
      name: 'AwsOperationError',
      operation: 'ecs:UpdateService',
      code: 'AccessDeniedException',
    });
    expect(error.cause).toBe(cause);
  });

  test('has no code when AWS never answered', () => {
    expect(new AwsOperationError('sts:GetCallerIdentity', new Error('timeout')).code).toBeUndefined();
  });

  test('asAwsOperationError leaves non-AWS errors alone and the first remembered operation wins', () => {
    expect(asAwsOperationError(new Error('plain'))).toBeUndefined();
    const error = tagged(tagged(accessDenied(), 'ecs:UpdateService'), 'ecs:Other');
    expect(asAwsOperationError(error)?.operation).toBe('ecs:UpdateService');
  });

  test('isAwsSdkError recognises SDK service errors by their $metadata', () => {
    expect(isAwsSdkError(accessDenied())).toBe(true);
    expect(isAwsSdkError(new Error('x'))).toBe(false);
    expect(isAwsSdkError({ $metadata: {}, name: 'NotAnError' })).toBe(false);
  });
});

describe('runAction', () => {
  beforeEach(() => {
    jest.resetAllMocks();
    mockedCore.isDebug.mockReturnValue(false);
  });

  test('a successful main fails nothing', async () => {
    const main = jest.fn(async () => undefined);
    await runAction('ecs-deploy', main);
    expect(main).toHaveBeenCalledTimes(1);
    expect(mockedCore.setFailed).not.toHaveBeenCalled();
  });

  test('a ConfigError becomes "<action>: <message>" with no stack, even in debug mode', async () => {
    mockedCore.isDebug.mockReturnValue(true);
    await runAction('ecs-deploy', async () => {
      throw new ConfigError('Input "cluster" is required but was empty or not set.');
    });
    expect(mockedCore.setFailed).toHaveBeenCalledWith(
      'ecs-deploy: Input "cluster" is required but was empty or not set.',
    );
    expect(mockedCore.debug).not.toHaveBeenCalled();
    expect(mockedCore.info).not.toHaveBeenCalled();
  });

  test('a failure told with its outcome: the cause, then what it left; a ConfigError cause shows no stack', async () => {
    mockedCore.isDebug.mockReturnValue(true);
    await runAction('ecs-deploy', async () => {
      throw new FailureWithOutcome(new ConfigError('Service "api" does not exist.'), 'nothing was changed');
    });
    expect(mockedCore.setFailed).toHaveBeenCalledWith('ecs-deploy: Service "api" does not exist; nothing was changed');
    expect(mockedCore.debug).not.toHaveBeenCalled();
  });

  test('a DeploymentFailure prints its details to the log before failing', async () => {
    await runAction('ecs-deploy', async () => {
      throw new DeploymentFailure('deployment failed: circuit breaker tripped', 'task 1: exit 1\ntask 2: exit 1');
    });
    expect(mockedCore.info).toHaveBeenCalledWith('task 1: exit 1\ntask 2: exit 1');
    expect(mockedCore.setFailed).toHaveBeenCalledWith('ecs-deploy: deployment failed: circuit breaker tripped');
    expect(mockedCore.info.mock.invocationCallOrder[0]).toBeLessThan(mockedCore.setFailed.mock.invocationCallOrder[0]);
  });

  test('the rest of a multi-line message goes to the log, the first line to the failure', async () => {
    await runAction('migrate', async () => {
      throw new Error('migration task failed\n  exit code 3\n  see log stream x');
    });
    expect(mockedCore.info).toHaveBeenCalledWith('exit code 3\n  see log stream x');
    expect(mockedCore.setFailed).toHaveBeenCalledWith('migrate: migration task failed');
  });

  test('an AWS error becomes an IAM-style one-liner, its request id goes to the log', async () => {
    await runAction('ecs-deploy', async () => {
      throw tagged(accessDenied(), 'ecs:UpdateService');
    });
    expect(mockedCore.setFailed).toHaveBeenCalledWith(
      'ecs-deploy: ecs:UpdateService failed: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/' +
        'deploy is not authorized to perform: ecs:UpdateService',
    );
    expect(mockedCore.info).toHaveBeenCalledWith('AWS request id: req-123 (HTTP 400)');
  });

  test('stacks, causes included, are logged only in debug mode', async () => {
    const fail = async () => {
      throw new Error('outer', { cause: new Error('inner') });
    };
    await runAction('rollback', fail);
    expect(mockedCore.debug).not.toHaveBeenCalled();

    mockedCore.isDebug.mockReturnValue(true);
    await runAction('rollback', fail);
    const logged = mockedCore.debug.mock.calls.map(([message]) => message);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(/^Error: outer\n\s+at /);
    expect(logged[1]).toMatch(/^Caused by: Error: inner\n\s+at /);
    expect(mockedCore.setFailed).toHaveBeenLastCalledWith('rollback: outer');
  });

  test('a thrown non-Error is still reported', async () => {
    await runAction('invalidate-cdn', () => Promise.reject('plain string'));
    expect(mockedCore.setFailed).toHaveBeenCalledWith('invalidate-cdn: plain string');
  });
});

describe('passing faults and what they say', () => {
  // What the AWS SDK v3 throws for a 502 HTML page from a proxy: the JSON parser's error with the response's metadata.
  const proxyPage = () =>
    Object.assign(
      new SyntaxError(
        `Unexpected token '<', "<html><bod"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
      ),
      { $metadata: { httpStatusCode: 502, attempts: 3 } },
    );
  const dropped = () =>
    Object.assign(new Error('socket hang up'), {
      name: 'TimeoutError',
      code: 'ECONNRESET',
      $metadata: { attempts: 3 },
    });

  test('a 5xx whose body is not JSON or XML names the operation, the HTTP status and what to do', () => {
    const message = describeError(tagged(proxyPage(), 'ecs:UpdateService'));
    expect(message).toBe(
      'ecs:UpdateService failed: HTTP 502 with a body that is not an AWS answer (a proxy, gateway or load balancer ' +
        'between the runner and AWS answered instead); re-run the job, and check HTTPS_PROXY and the endpoint if it persists',
    );
    expect(message).not.toMatch(/SyntaxError|Unexpected token|Deserialization/);
  });

  test('a dropped connection names the operation and says nobody answered', () => {
    expect(describeError(tagged(dropped(), 'ecs:DescribeServices'))).toMatch(
      /^ecs:DescribeServices failed: no answer from AWS: the connection failed or timed out \(TimeoutError, ECONNRESET, socket hang up\)/,
    );
  });

  test.each<[string, () => unknown, boolean, boolean]>([
    ['throttling', () => awsErrorNamed('ThrottlingException', 400), true, false],
    ['a 500', () => awsErrorNamed('InternalFailure', 500), true, true],
    ['an unparsed proxy page', proxyPage, true, true],
    ['a dropped connection', dropped, true, true],
    ['a denial', () => awsErrorNamed('AccessDeniedException', 400), false, false],
    ['an invalid parameter', () => awsErrorNamed('InvalidParameterException', 400), false, false],
    ['a plain bug', () => new TypeError('x is undefined'), false, false],
  ])('%s: transient %s, may have been applied %s', (_name, make, transient, applied) => {
    expect(isTransientError(make())).toBe(transient);
    expect(mayHaveBeenApplied(make())).toBe(applied);
  });

  test('isAccessDenied', () => {
    expect(isAccessDenied(accessDenied())).toBe(true);
    expect(isAccessDenied(awsErrorNamed('InternalFailure', 500))).toBe(false);
  });
});

describe('withOutcome', () => {
  test('a step whose work returns is published as succeeded', async () => {
    const report: StepOutcome = { succeeded: false };
    const published: StepOutcome[] = [];
    await withOutcome(
      report,
      async () => undefined,
      async (r) => void published.push({ ...r }),
    );
    expect(published).toEqual([{ succeeded: true }]);
  });

  test('a step whose work throws is published with the first line of its cause, and the error goes on', async () => {
    const report: StepOutcome = { succeeded: false };
    const published: StepOutcome[] = [];
    const failure = new Error('the task exited with 3\nlast log lines follow');
    await expect(
      withOutcome(
        report,
        async () => {
          throw failure;
        },
        async (r) => void published.push({ ...r }),
      ),
    ).rejects.toBe(failure);
    expect(published).toEqual([{ succeeded: false, reason: 'the task exited with 3' }]);
  });
});

function awsErrorNamed(name: string, httpStatusCode: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
}
