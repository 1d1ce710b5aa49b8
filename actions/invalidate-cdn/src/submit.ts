import * as core from '@shipyard/platform/core';
import { CreateInvalidationCommand, type Invalidation } from '@aws-sdk/client-cloudfront';
import { formatDuration } from '@shipyard/platform/duration';
import { isAwsSdkError } from '@shipyard/platform/errors';
import { poll, type Clock } from '@shipyard/platform/poll';
import { callerReference, nextCallerReference, type IdempotencyScope, type RunIdentity } from './caller-reference';
import { missingDistribution, type CloudFrontApi } from './distributions';

/** What the AWS phases share: the client, cancellation, time, and who is running. */
export interface AwsContext {
  api: CloudFrontApi;
  signal?: AbortSignal;
  clock: Clock;
  /** Epoch ms by which everything (back-off and waiting) must be done. */
  deadline: number;
  /** Epoch ms the step started; an invalidation created well before it was reused, not created. */
  startedAt: number;
  run: RunIdentity;
  scope: IdempotencyScope;
}

export interface InvalidationRecord {
  distributionId: string;
  /** 1-based, of `batches`. */
  batch: number;
  batches: number;
  id: string;
  paths: number;
  status: string;
  /** It existed before this step (a re-run got an earlier attempt's invalidation back): nothing new is billed. */
  reused: boolean;
}

/** Between a batch and a retry when CloudFront has no room; invalidations take tens of seconds to minutes. */
export const BACK_OFF = { minIntervalMs: 3_000, maxIntervalMs: 30_000 };
/** CloudFront's words when a CallerReference is already taken by a batch of other paths. */
const REFERENCE_TAKEN = /caller reference that was used for a previous invalidation batch/i;
/** How many successor references to try after a taken reference before giving up. */
const MAX_REFERENCES = 5;
/** Clock skew allowed between the runner and CloudFront when telling a reused invalidation from a new one. */
const REUSE_MARGIN_MS = 5 * 60_000;

type Attempt = { kind: 'created'; invalidation: Invalidation } | { kind: 'busy' } | { kind: 'taken' };

function errorName(error: unknown): string | undefined {
  return isAwsSdkError(error) ? error.name : undefined;
}

async function tryCreate(ctx: AwsContext, distributionId: string, paths: string[], reference: string) {
  try {
    const { Invalidation: invalidation } = await ctx.api.send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: reference, Paths: { Quantity: paths.length, Items: paths } },
      }),
      { abortSignal: ctx.signal },
    );
    if (!invalidation?.Id) throw new Error(`CreateInvalidation for ${distributionId} returned no invalidation id`);
    return { kind: 'created', invalidation } satisfies Attempt;
  } catch (error) {
    switch (errorName(error)) {
      case 'TooManyInvalidationsInProgress':
        return { kind: 'busy' } satisfies Attempt;
      // The API reference's name for it (not a modeled class: a CloudFrontServiceException carrying this name)…
      case 'InvalidationBatchAlreadyExists':
        return { kind: 'taken' } satisfies Attempt;
      // … and what CloudFront answers: InvalidArgument, saying so.
      case 'InvalidArgument':
        if (REFERENCE_TAKEN.test((error as Error).message)) return { kind: 'taken' } satisfies Attempt;
        throw error;
      case 'NoSuchDistribution':
        throw missingDistribution(distributionId);
      default:
        throw error;
    }
  }
}

/**
 * Creates one batch, waiting with back-off while CloudFront answers TooManyInvalidationsInProgress (our earlier
 * batches, or anyone else's invalidations, fill the in-flight window). A reference already taken by different
 * paths moves on to the next deterministic reference, so a re-run still finds its own invalidation.
 */
async function createBatch(ctx: AwsContext, distributionId: string, paths: string[], label: string) {
  const base = callerReference(distributionId, paths, ctx.run, ctx.scope);
  for (let attempt = 1; attempt <= MAX_REFERENCES; attempt++) {
    const reference = nextCallerReference(base, attempt);
    const outcome = await poll<Attempt>({
      describe: () => tryCreate(ctx, distributionId, paths, reference),
      isDone: (state) => state.kind !== 'busy',
      timeoutMs: Math.max(0, ctx.deadline - ctx.clock.now()),
      signal: ctx.signal,
      clock: ctx.clock,
      ...BACK_OFF,
      waitingFor: `room for ${label} (CloudFront kept answering TooManyInvalidationsInProgress)`,
      onProgress: ({ nextPollInMs }) =>
        core.info(
          `${label}: CloudFront has too many invalidations in progress; retrying in ${formatDuration(nextPollInMs)}.`,
        ),
    });
    if (outcome.kind === 'created') return outcome.invalidation;
    core.warning(
      `${label}: CallerReference ${reference} is already used by a different batch; trying the next reference.`,
    );
  }
  throw new Error(`${label}: ${MAX_REFERENCES} CallerReferences in a row were taken by other batches.`);
}

/**
 * Submits every batch of one distribution in order; `record` receives each invalidation as soon as it exists, so
 * the outputs list it even when a later batch fails.
 */
export async function submitBatches(
  ctx: AwsContext,
  distributionId: string,
  batches: string[][],
  record: (invalidation: InvalidationRecord) => void,
): Promise<void> {
  for (const [index, paths] of batches.entries()) {
    const label = `${distributionId} batch ${index + 1}/${batches.length}`;
    const invalidation = await createBatch(ctx, distributionId, paths, label);
    const createdAt = invalidation.CreateTime?.getTime() ?? ctx.clock.now();
    const reused = invalidation.Status === 'Completed' || createdAt < ctx.startedAt - REUSE_MARGIN_MS;
    core.info(
      `${label}: ${reused ? 'reused' : 'created'} invalidation ${invalidation.Id} ` +
        `(${paths.length} path${paths.length === 1 ? '' : 's'}, ${invalidation.Status}).`,
    );
    record({
      distributionId,
      batch: index + 1,
      batches: batches.length,
      id: invalidation.Id as string,
      paths: paths.length,
      status: invalidation.Status ?? 'InProgress',
      reused,
    });
  }
}
