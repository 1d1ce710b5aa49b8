import * as core from '@shipyard/platform/core';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { createClient } from '@shipyard/platform/aws';
import { formatExplanation, gatherFailureFacts } from '@shipyard/ecs/explain';
import { ACTION } from './constants';
import type { StartedService } from './execute';
import type { Inputs } from './inputs';

// Phase 5: explain each failure on one screen, the way ecs-deploy does (@shipyard/ecs/explain): status reason,
// stopped tasks of the target revision, the last service events and the failed containers' last log lines.

export async function explainFailures(
  ecs: ECSClient,
  inputs: Pick<Inputs, 'cluster' | 'region' | 'maxAttempts'>,
  failures: { service: StartedService; reason: string }[],
): Promise<void> {
  const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = createClient(CloudWatchLogsClient, {
    action: ACTION,
    region: inputs.region,
    maxAttempts: inputs.maxAttempts,
  });
  await Promise.all(
    failures.map(async ({ service, reason }) => {
      const { entry, target } = service.plan;
      const facts = await gatherFailureFacts({
        ecs,
        logs,
        cluster: inputs.cluster,
        service: entry.service,
        reason,
        taskDefinition: target.taskDefinition,
        events: service.snapshot?.service?.events,
        // ECS's own clock where it says when the deployment began: the runner's clock may be skewed.
        since: service.snapshot?.serviceDeployment?.createdAt ?? new Date(service.startedAt),
      });
      entry.explanation = formatExplanation(facts);
    }),
  );
  // Printed together, in the order of the services, so explanations do not interleave.
  core.printUntrusted(failures.flatMap(({ service }) => service.plan.entry.explanation ?? []));
}
