import * as core from '@shipyard/platform/core';
import { describeError, runAction, withOutcome } from '@shipyard/platform/errors';
import { cancellationSignal } from '@shipyard/platform/poll';
import { writeSummary } from '@shipyard/platform/summary';
import { ACTION } from './constants';
import { readInputs, type ActionInputs } from './inputs';
import { planInvalidation } from './plan';
import { buildSummary, inputErrorSummary, setOutputs, type Report } from './summary';

export async function run(): Promise<void> {
  await runAction(ACTION, invalidateCdn);
}

/** Validates every input and plans the batches; then the AWS phases. Outputs and the summary are written either way. */
export async function invalidateCdn(): Promise<void> {
  const inputs = await readInputsOrReport();
  const plan = planInvalidation(inputs.requested, {
    costMode: inputs.costMode,
    pathBudget: inputs.pathBudget,
    distributionCount: inputs.distributions.length,
  });
  const report: Report = {
    plan,
    distributionNames: inputs.distributions.map((d) => (d.kind === 'id' ? d.id : d.domain)),
    invalidations: [],
    changes: inputs.changes,
    wait: inputs.wait,
    succeeded: false,
  };
  logPlan(report);
  await withOutcome(
    report,
    async () => {
      if (plan.submitted.length === 0) {
        core.warning('Nothing to invalidate: no paths were given and no changed file belongs to the site.');
        return;
      }
      const { invalidate } = await import('./invalidate');
      await invalidate(inputs, report, cancellationSignal());
    },
    async (ended) => {
      setOutputs(ended);
      await writeSummary(buildSummary(ended));
    },
  );
}

async function readInputsOrReport(): Promise<ActionInputs> {
  try {
    return readInputs();
  } catch (error) {
    await writeSummary(inputErrorSummary(describeError(error)));
    throw error;
  }
}

function logPlan({ plan, changes }: Report): void {
  if (changes) {
    core.info(
      `Changed files: ${changes.urlPaths.length} in the site, ${changes.ignored.length} outside it (ignored)` +
        (changes.failed.length ? `, ${changes.failed.length} failed transfers (ignored).` : '.'),
    );
    for (const line of changes.failed) core.warning(`Not invalidated, the transfer failed: ${line}`);
  }
  core.info(`Paths requested: ${plan.requested.length}; submitted: ${plan.submitted.length} per distribution.`);
  for (const { wildcard, replaces } of plan.collapsed) core.info(`  cost mode: ${wildcard} covers ${replaces} paths`);
}
