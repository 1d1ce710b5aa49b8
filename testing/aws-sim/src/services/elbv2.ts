import { AwsError } from '../errors';
import { queryList, queryService } from '../protocols/query';
import { xmlList } from '../protocols/xml';
import type { RequestContext, ServiceModule } from '../service';
import type { World } from '../world';
import {
  DEREGISTRATION_DELAY,
  findTargetGroup,
  knowTargetGroup,
  targetGroupRegion,
  type TargetGroup,
} from './elbv2-target-groups';

/**
 * The `elbv2` section of a seed document: target groups' attributes (a group a service names and nobody seeded has
 * AWS's defaults, a 300 s deregistration delay).
 *
 * ```json
 * { "elbv2": { "targetGroups": [{ "targetGroupArn": "arn:aws:elasticloadbalancing:…:targetgroup/web/0123",
 *                                  "deregistrationDelaySeconds": 30 }] } }
 * ```
 */
export interface Elbv2Seed {
  targetGroups?: { targetGroupArn: string; deregistrationDelaySeconds?: number; attributes?: Record<string, string> }[];
}

const MAX_DEREGISTRATION_DELAY_SECONDS = 3600;

const notFound = () => new AwsError('TargetGroupNotFound', 'One or more target groups not found');

/** The group a request names, if it exists in the request's region. */
function requireGroup(params: URLSearchParams, ctx: RequestContext): TargetGroup {
  const arn = params.get('TargetGroupArn');
  if (!arn) throw new AwsError('ValidationError', 'A target group ARN must be specified');
  if (!targetGroupRegion(arn)) throw new AwsError('ValidationError', `'${arn}' is not a valid target group ARN`);
  const group = findTargetGroup(ctx.world, arn);
  if (!group || group.region !== ctx.region) throw notFound();
  return group;
}

function checkAttribute(key: string, value: string): void {
  if (!key) throw new AwsError('ValidationError', 'A target group attribute key must be specified');
  if (key !== DEREGISTRATION_DELAY) return;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds > MAX_DEREGISTRATION_DELAY_SECONDS) {
    throw new AwsError(
      'ValidationError',
      `'${value}' is not a valid value for '${DEREGISTRATION_DELAY}': it must be between 0 and ${MAX_DEREGISTRATION_DELAY_SECONDS}`,
    );
  }
}

const attributesXml = (group: TargetGroup) =>
  xmlList(
    'member',
    [...group.attributes].map(([Key, Value]) => ({ Key, Value })),
  );

function seed(world: World, doc: Record<string, unknown>): void {
  const section = doc.elbv2 as Elbv2Seed | undefined;
  section?.targetGroups?.forEach((entry, i) => {
    if (!entry.targetGroupArn || !targetGroupRegion(entry.targetGroupArn))
      throw new Error(`aws-sim seed: elbv2.targetGroups[${i}] needs a target group ARN as "targetGroupArn"`);
    const attributes = { ...entry.attributes };
    if (entry.deregistrationDelaySeconds !== undefined)
      attributes[DEREGISTRATION_DELAY] = String(entry.deregistrationDelaySeconds);
    const group = knowTargetGroup(world, entry.targetGroupArn);
    for (const [key, value] of Object.entries(attributes)) {
      checkAttribute(key, value);
      group.attributes.set(key, value);
    }
  });
}

/** Elastic Load Balancing v2 over the Query protocol: target group attributes only. */
export function elbv2Service(): ServiceModule {
  return queryService({
    name: 'elbv2',
    version: '2015-12-01',
    xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    seed,
    handlers: {
      DescribeTargetGroupAttributes: (params, ctx) => ({ Attributes: attributesXml(requireGroup(params, ctx)) }),
      ModifyTargetGroupAttributes: (params, ctx) => {
        const group = requireGroup(params, ctx);
        const changes = queryList(params, 'Attributes') as Record<string, string>[];
        if (changes.length === 0) throw new AwsError('ValidationError', 'At least one attribute must be specified');
        for (const { Key = '', Value = '' } of changes) checkAttribute(Key, Value);
        for (const { Key, Value = '' } of changes) group.attributes.set(Key, Value);
        return { Attributes: attributesXml(group) };
      },
    },
  });
}
