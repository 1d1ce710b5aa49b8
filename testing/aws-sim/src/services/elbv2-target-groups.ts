import type { World } from '../world';

// The target groups ECS services register their tasks in, with their attributes. aws-sim models no load balancer:
// a group exists once a service names it (in loadBalancers[].targetGroupArn or a blue/green
// advancedConfiguration.alternateTargetGroupArn) or a seed sets its attributes. What matters to a deployment is how
// long a task leaving the group drains: its deregistration delay.

export const DEREGISTRATION_DELAY = 'deregistration_delay.timeout_seconds';

/** What CreateTargetGroup gives an instance or IP target group for HTTP (AWS's documented defaults). */
const DEFAULT_ATTRIBUTES: Record<string, string> = {
  [DEREGISTRATION_DELAY]: '300',
  'deregistration_delay.connection_termination.enabled': 'false',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'slow_start.duration_seconds': '0',
};

export interface TargetGroup {
  arn: string;
  region: string;
  attributes: Map<string, string>;
}

const ARN = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;

/** The region of a well-formed target group ARN, else undefined. */
export function targetGroupRegion(arn: string): string | undefined {
  return ARN.exec(arn)?.[1];
}

function groups(world: World): Map<string, TargetGroup> {
  return world.store('elbv2', () => new Map<string, TargetGroup>());
}

export function findTargetGroup(world: World, arn: string): TargetGroup | undefined {
  return groups(world).get(arn);
}

/** The group named `arn`, made with AWS's default attributes when nobody named it before. */
export function knowTargetGroup(world: World, arn: string): TargetGroup {
  let group = groups(world).get(arn);
  if (!group) {
    group = {
      arn,
      region: targetGroupRegion(arn) ?? 'us-east-1',
      attributes: new Map(Object.entries(DEFAULT_ATTRIBUTES)),
    };
    groups(world).set(arn, group);
  }
  return group;
}

/** Every group a service's load balancers name. */
export function knowServiceTargetGroups(
  world: World,
  loadBalancers: { targetGroupArn?: string; advancedConfiguration?: { alternateTargetGroupArn?: string } }[],
): void {
  for (const lb of loadBalancers) {
    for (const arn of [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn])
      if (arn) knowTargetGroup(world, arn);
  }
}

/** How long a task leaving the group drains before ECS stops it. */
export function deregistrationDelayMs(world: World, arn: string | undefined): number {
  if (!arn) return 0;
  return Number(knowTargetGroup(world, arn).attributes.get(DEREGISTRATION_DELAY)) * 1000;
}
