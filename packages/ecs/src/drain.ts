import type { LoadBalancer } from '@aws-sdk/client-ecs';
import type { ClientOptions } from '@shipyard/platform/aws';
import * as core from '@shipyard/platform/core';
import { describeError, isAccessDenied } from '@shipyard/platform/errors';

// How long a service's old tasks drain when a deployment (or a rollback) replaces them: the deregistration delay of
// the target groups they leave (`deregistration_delay.timeout_seconds`, 300 s unless set), which ECS does not show.
// Read once per group, all in parallel, beside the watch — never before UpdateService — through an ELBv2 client that
// loads only then. The permission is optional: refused (or after any error) the watch keeps the cadence it has
// without a known drain, and the log says once which permission would give it.

export const DRAIN_PERMISSION = 'elasticloadbalancing:DescribeTargetGroupAttributes';
const DEREGISTRATION_DELAY = 'deregistration_delay.timeout_seconds';

/** The target groups a service's tasks register in, and blue/green's alternates: the groups its old tasks leave
 * (undefined when there are none). */
export function targetGroupsOf(loadBalancers: LoadBalancer[] | undefined): string[] | undefined {
  const arns = (loadBalancers ?? []).flatMap((lb) => [
    lb.targetGroupArn,
    lb.advancedConfiguration?.alternateTargetGroupArn,
  ]);
  const unique = [...new Set(arns.filter((arn): arn is string => !!arn))];
  return unique.length ? unique : undefined;
}

/** Reads one target group's deregistration delay, in seconds. */
export type ReadDelay = (targetGroupArn: string) => Promise<number>;

/** Per step: each service's drain (its groups' longest deregistration delay: a task in several drains from all). */
export class DrainDelays {
  private readonly groups = new Map<string, Promise<number | undefined>>();
  private readonly drains = new Map<string, number>();
  private readonly asked = new Set<string>();
  private told = false;

  constructor(private readonly read: ReadDelay) {}

  /** Starts reading the groups of `service` (each group once); of() knows the drain once every group answered. */
  learn(service: string, targetGroupArns: string[] | undefined): void {
    if (!targetGroupArns?.length || this.asked.has(service)) return;
    this.asked.add(service);
    void Promise.all(targetGroupArns.map((arn) => this.delayOf(arn))).then((delays) => {
      if (delays.every((delay) => delay !== undefined)) this.drains.set(service, Math.max(...delays) * 1000);
    });
  }

  /** Whether learn() was told about `service`'s groups. */
  knows(service: string): boolean {
    return this.asked.has(service);
  }

  /** How long the service's old tasks drain, in milliseconds, once known. */
  of(service: string): number | undefined {
    return this.drains.get(service);
  }

  private delayOf(arn: string): Promise<number | undefined> {
    let delay = this.groups.get(arn);
    if (!delay) {
      delay = this.read(arn).catch((error: unknown) => {
        this.tell(error);
        return undefined;
      });
      this.groups.set(arn, delay);
    }
    return delay;
  }

  private tell(error: unknown): void {
    if (this.told) return;
    this.told = true;
    const why = isAccessDenied(error) ? `${DRAIN_PERMISSION} is not allowed` : describeError(error);
    core.info(
      `The target groups' deregistration delay is unknown (${why}): while old tasks drain, the watch looks at its ` +
        `sustained rate. Allow ${DRAIN_PERMISSION} (optional) to learn a drained deployment's outcome sooner.`,
    );
  }
}

/** Reads through an ELBv2 client made like the step's other clients, loaded on the first read. */
export function drainDelays(client: ClientOptions): DrainDelays {
  let reader: Promise<ReadDelay> | undefined;
  const load = async (): Promise<ReadDelay> => {
    const [{ DescribeTargetGroupAttributesCommand, ElasticLoadBalancingV2Client }, { createClient }] =
      await Promise.all([import('@aws-sdk/client-elastic-load-balancing-v2'), import('@shipyard/platform/aws')]);
    const elb = createClient(ElasticLoadBalancingV2Client, client);
    return async (arn) => {
      const { Attributes } = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
      const value = Attributes?.find((a) => a.Key === DEREGISTRATION_DELAY)?.Value;
      const seconds = Number(value);
      if (!value || !Number.isFinite(seconds)) throw new Error(`${arn} has no ${DEREGISTRATION_DELAY} attribute`);
      return seconds;
    };
  };
  return new DrainDelays(async (arn) => (await (reader ??= load()))(arn));
}
