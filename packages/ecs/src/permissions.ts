import * as core from '@shipyard/platform/core';
import { isAccessDenied } from '@shipyard/platform/errors';

// The IAM policy aws-actions documents for deploying to ECS has no service-deployment reads, so many roles lack
// them. Shipyard then watches through DescribeServices' deployments[] instead of failing; the denial is remembered
// per client, so the warning comes once per step and later rounds do not ask again.

export const SERVICE_DEPLOYMENT_READS = [
  'ecs:ListServiceDeployments',
  'ecs:DescribeServiceDeployments',
  'ecs:DescribeServiceRevisions',
];

const deniedClients = new WeakSet<object>();

/** Whether this client was already refused a service-deployment read. */
export function serviceDeploymentReadsDenied(ecs: object): boolean {
  return deniedClients.has(ecs);
}

/** True, after a warning the first time, when `error` refuses a service-deployment read: the caller goes on
 * without that view. False for any other error, which the caller handles as before. */
export function degradeOnDenial(ecs: object, operation: string, error: unknown): boolean {
  if (!isAccessDenied(error)) return false;
  if (!deniedClients.has(ecs)) {
    deniedClients.add(ecs);
    core.warning(
      `${operation} is denied to this role, so Shipyard follows deployments through DescribeServices' ` +
        'deployments[].rolloutState: blue/green lifecycle stages, hook states and the service deployment status ' +
        `reason are not shown, and every round reads the services. Allow ${SERVICE_DEPLOYMENT_READS.join(', ')} ` +
        "to get them back (the action README's IAM policy lists them).",
    );
  }
  return true;
}
