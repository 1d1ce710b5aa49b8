import * as core from '@shipyard/platform/core';
import { createClient } from '@shipyard/platform/aws';
import { shortTaskDefinition } from '@shipyard/ecs/arns';
import { drainDelays } from '@shipyard/ecs/drain';
import { manualRollbackCommand } from '@shipyard/ecs/rollback/target';
import { DeploymentFailure, describeError, runAction } from '@shipyard/platform/errors';
import { githubDeploymentForJob, setGithubDeploymentStatus } from '@shipyard/platform/github';
import { group } from '@shipyard/platform/log';
import { cancellationSignal } from '@shipyard/platform/poll';
import { writeSummary } from '@shipyard/platform/summary';
import { ACTION, Output } from './constants';
import { readInputs, type Inputs } from './inputs';
import { buildSummary, newReport, setOutputs, type Report } from './report';

export async function run(): Promise<void> {
  await runAction(ACTION, rollback);
}

/** Validates every input, then runs the phases; outputs and the job summary are written either way. */
export async function rollback(): Promise<void> {
  let inputs: Inputs;
  try {
    inputs = readInputs();
  } catch (error) {
    core.setOutput(Output.Status, 'failed');
    throw error;
  }
  const report = newReport(inputs);
  const signal = cancellationSignal();
  try {
    await rollBackServices(inputs, report, signal);
  } catch (error) {
    report.failure = describeError(error);
    report.status = signal.aborted ? 'cancelled' : 'failed';
    throw error;
  } finally {
    setOutputs(report);
    await writeSummary(buildSummary(report));
  }
}

async function rollBackServices(inputs: Inputs, report: Report, signal: AbortSignal): Promise<void> {
  // The phases load the AWS SDK, so they are imported only once the inputs are known to be valid.
  const { ECSClient } = await import('@aws-sdk/client-ecs');
  const { planRollback } = await import('./plan');
  const ecs = createClient(ECSClient, { action: ACTION, region: inputs.region, maxAttempts: inputs.maxAttempts });

  const plans = await group('Plan the rollback', () => planRollback(ecs, inputs, report));
  if (inputs.dryRun) {
    report.status = 'dry-run';
    return;
  }
  const { failuresToExplain, startRollbacks, verifyRollback, waitForRollbacks } = await import('./execute');
  const github = await recordGithubDeployment(inputs, report);
  // Without waiting, the GitHub deployment stays in_progress: nobody saw the outcome.
  let state: 'success' | 'failure' | undefined = 'failure';
  try {
    const started = await group('Roll back', () => startRollbacks(ecs, inputs.cluster, plans, signal));
    if (inputs.wait) {
      // How long old tasks drain: read beside the wait, never before the rollback starts.
      const drains = drainDelays({ action: ACTION, region: inputs.region, maxAttempts: inputs.maxAttempts, signal });
      await group('Wait until every service is stable on its target', () =>
        waitForRollbacks(ecs, inputs, started, signal, undefined, drains),
      );
    }
    const back = !report.services.some((s) => s.result === 'failed');
    if (back && inputs.verify.urls.length > 0) {
      await group('Verify', () => verifyRollback(inputs.verify, report, signal));
    }
    const toExplain = failuresToExplain(started, report);
    if (toExplain.length > 0) {
      const { explainFailures } = await import('./explain');
      await group('Explain the failure', () => explainFailures(ecs, inputs, toExplain));
    }
    if (!back || report.verification?.passed === false) throw failure(report, inputs);
    report.status = inputs.wait ? 'succeeded' : 'started';
    state = inputs.wait ? 'success' : undefined;
  } finally {
    if (state)
      await setGithubDeploymentStatus({
        token: inputs.github.token,
        deploymentId: github,
        state,
        environmentUrl: inputs.github.environmentUrl,
        description: `Rollback to ${report.target} ${state === 'success' ? 'succeeded' : 'failed'}`,
      });
  }
}

/** A GitHub Deployment for the rollback, at the commit the targets were built from when they all name one. */
async function recordGithubDeployment(inputs: Inputs, report: Report): Promise<number | undefined> {
  const { token, environment, environmentUrl } = inputs.github;
  if (!environment) return undefined;
  const shas = new Set(report.services.map((s) => s.toGitSha));
  const ref = shas.size === 1 ? [...shas][0] : undefined;
  const id = await githubDeploymentForJob({
    token,
    environment,
    ref,
    description: `Rollback of ${report.services.map((s) => s.service).join(', ')} to ${report.target}`,
  });
  await setGithubDeploymentStatus({ token, deploymentId: id, state: 'in_progress', environmentUrl });
  return id;
}

/** Which services did not get back and why, which did, and the command that finishes the job by hand. */
function failure(report: Report, inputs: Inputs): DeploymentFailure {
  const failed = report.services.filter((s) => s.result === 'failed');
  if (failed.length === 0) {
    return new DeploymentFailure(`verification failed after the rollback: ${report.verification?.reason}`);
  }
  const why = failed.map((s) => `${s.service}: ${s.reason}`).join('; ');
  const lead =
    report.services.length === 1
      ? `service "${failed[0].service}" did not roll back: ${failed[0].reason}`
      : `${failed.length} of ${report.services.length} services did not roll back (${why})`;
  const back = report.services.filter((s) => s.result === 'succeeded' || s.result === 'unchanged');
  const parts = [lead];
  if (back.length)
    parts.push(
      `back on the target: ${back.map((s) => `${s.service} (${shortTaskDefinition(s.toArn ?? '')})`).join(', ')}`,
    );
  const region = inputs.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const commands = failed.flatMap((s) =>
    s.toArn
      ? [
          `\`${manualRollbackCommand({ region, cluster: inputs.cluster, service: s.service, taskDefinitionArn: s.toArn })}\``,
        ]
      : [],
  );
  if (commands.length) parts.push(`finish with ${commands.join(' and ')}, or run this rollback again`);
  return new DeploymentFailure(parts.join('. '));
}
