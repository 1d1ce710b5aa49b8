import { NEW_RESOURCE_PATIENCE_MS, untilVisible } from '../src/consistency';
import { describeError, isAwsSdkError, StillUnseenError } from '../src/errors';
import { fakeClock } from '../src/poll';
import { awsError } from '@shipyard/testkit/fake-client';

const unknown = () => awsError('ClientException', 'Unable to describe task definition.');
/** The "not visible yet" answer of these tests (ECS's for a revision registered moments ago). */
const isUnknownTaskDefinition = (error: unknown) => isAwsSdkError(error) && error.name === 'ClientException';
const serverError = () =>
  Object.assign(new Error('Internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });

/** A call answering each of `answers` in turn (an Error is thrown), counting its calls. */
function scripted(...answers: unknown[]): jest.Mock<Promise<unknown>, []> {
  const call: jest.Mock<Promise<unknown>, []> = jest.fn(async () => {
    const answer = answers[Math.min(call.mock.calls.length - 1, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return call;
}

describe('untilVisible', () => {
  test('an "unknown" answer is tried again until the call succeeds, with back-off', async () => {
    const call = scripted(unknown(), unknown(), 'described');
    const clock = fakeClock();
    const retries: number[] = [];
    const result = await untilVisible(call, {
      isUnseen: isUnknownTaskDefinition,
      clock,
      onRetry: (_error, attempt) => retries.push(attempt),
    });
    expect(result).toBe('described');
    expect(retries).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([2_000, 3_000]);
  });

  test('an "unknown" answer that outlasts the patience is a StillUnseenError saying how long it was tried', async () => {
    const call = scripted(unknown());
    const clock = fakeClock();
    const error = await untilVisible(call, { isUnseen: isUnknownTaskDefinition, clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StillUnseenError);
    expect((error as StillUnseenError).waitedMs).toBeLessThanOrEqual(NEW_RESOURCE_PATIENCE_MS);
    expect(call.mock.calls.length).toBe(5);
    expect(describeError(error)).toBe(
      'AWS request failed: ClientException: Unable to describe task definition (still so after 16s250ms of retries)',
    );
  });

  test('other errors end it at once; passing faults are tried again unless retryFaults is false', async () => {
    const refused = awsError('InvalidParameterException', 'bad');
    await expect(
      untilVisible(scripted(refused), { isUnseen: isUnknownTaskDefinition, clock: fakeClock() }),
    ).rejects.toBe(refused);
    expect(
      await untilVisible(scripted(serverError(), 'ok'), { isUnseen: isUnknownTaskDefinition, clock: fakeClock() }),
    ).toBe('ok');
    const once = scripted(serverError(), 'ok');
    await expect(
      untilVisible(once, { isUnseen: isUnknownTaskDefinition, retryFaults: false, clock: fakeClock() }),
    ).rejects.toThrow('Internal');
    expect(once).toHaveBeenCalledTimes(1);
  });
});
