import {
  CloudFrontServiceException,
  InvalidArgument,
  NoSuchDistribution,
  NoSuchInvalidation,
  TooManyInvalidationsInProgress,
  type CloudFrontClient,
} from '@aws-sdk/client-cloudfront';
import { fakeClock } from '@shipyard/platform/poll';
import { runIdentity } from '../src/caller-reference';
import type { AwsContext } from '../src/submit';

/** One scripted answer per call: a value is returned, an Error thrown. */
export type Answer = unknown;
type Sent = { command: string; input: Record<string, unknown> };

/** A CloudFront client whose answers the test decides per command name; `sent` records every call. */
export function fakeApi(answer: (command: string, input: Record<string, unknown>, call: number) => Answer) {
  const sent: Sent[] = [];
  const api = {
    send: jest.fn(async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push({ command: name, input: command.input });
      const result = answer(name, command.input, sent.filter((s) => s.command === name).length);
      if (result instanceof Error) throw result;
      return result;
    }),
  } as unknown as Pick<CloudFrontClient, 'send'>;
  return { api, sent };
}

const metadata = { $metadata: { httpStatusCode: 400 } };
export const tooMany = () =>
  new TooManyInvalidationsInProgress({ message: 'Processing your request will cause you to exceed…', ...metadata });
export const noSuchInvalidation = () =>
  new NoSuchInvalidation({ message: 'The specified invalidation does not exist.', $metadata: { httpStatusCode: 404 } });
export const noSuchDistribution = () =>
  new NoSuchDistribution({ message: 'The specified distribution does not exist.', ...metadata });
/** A taken CallerReference as the API reference names it… */
export const batchAlreadyExists = () =>
  new CloudFrontServiceException({ name: 'InvalidationBatchAlreadyExists', $fault: 'client', ...metadata });
/** … and as CloudFront answers it. */
export const referenceTaken = () =>
  new InvalidArgument({
    message:
      'Your request contains a caller reference that was used for a previous invalidation batch for the same distribution.',
    ...metadata,
  });

export function invalidation(id: string, status = 'InProgress', createTime = new Date(1_000_000)) {
  return { Invalidation: { Id: id, Status: status, CreateTime: createTime } };
}

export const run = runIdentity(
  {
    GITHUB_RUN_ID: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_ACTION: 'cdn',
    GITHUB_REPOSITORY: 'a/b',
  },
  () => 'unused',
);

export function context(api: Pick<CloudFrontClient, 'send'>, overrides: Partial<AwsContext> = {}): AwsContext {
  const clock = fakeClock({ start: 1_000_000 });
  return { api, clock, deadline: 1_000_000 + 600_000, startedAt: 1_000_000, run, scope: 'run', ...overrides };
}
