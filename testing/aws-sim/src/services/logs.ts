import { AwsError } from '../errors';
import { jsonService, type JsonHandler } from '../protocols/json';
import type { RequestContext, ServiceModule } from '../service';
import type { World } from '../world';
import {
  appendLogEvents,
  createLogGroup,
  createLogStream,
  findLogGroup,
  logsState,
  type LogGroup,
  type LogStream,
  type StoredLogEvent,
} from './logs-store';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const DAY = 86_400_000;
const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const notFound = (message: string) => new AwsError('ResourceNotFoundException', message);

interface GroupRef {
  logGroupName?: string;
  logGroupIdentifier?: string;
}

function requireGroup(ctx: RequestContext, ref: GroupRef): LogGroup {
  let name = ref.logGroupName;
  let region = ctx.region;
  if (!name && ref.logGroupIdentifier) {
    const arn = /^arn:aws:logs:([^:]+):\d+:log-group:(.+?)(?::\*)?$/.exec(ref.logGroupIdentifier);
    name = arn ? arn[2] : ref.logGroupIdentifier;
    region = arn ? arn[1] : region;
  }
  if (!name) throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
  const group = findLogGroup(ctx.world, region, name);
  if (!group) throw notFound('The specified log group does not exist.');
  return group;
}

function requireStream(group: LogGroup, name: string | undefined): LogStream {
  const stream = name === undefined ? undefined : group.streams.get(name);
  if (!stream) throw notFound('The specified log stream does not exist.');
  return stream;
}

function checkLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw invalid(`limit must be between 1 and ${max}.`);
  return limit;
}

const inTime = (e: { timestamp: number }, start?: number, end?: number) =>
  (start === undefined || e.timestamp >= start) && (end === undefined || e.timestamp < end);

/** GetLogEvents tokens: `f/<index>/s` reads forward from index, `b/<index>/s` backward from it. */
const token = (direction: 'f' | 'b', index: number) => `${direction}/${String(index).padStart(56, '0')}/s`;

function parseToken(raw: string): { direction: 'f' | 'b'; index: number } {
  const match = /^([fb])\/(\d{56})\/s$/.exec(raw);
  if (!match) throw invalid('The specified nextToken is invalid.');
  return { direction: match[1] as 'f' | 'b', index: Number(match[2]) };
}

/**
 * CloudWatch Logs filter patterns, the term subset: every plain term or "quoted phrase" must appear, `?term`s
 * need any one of them, `-term`s must not appear. Terms are case-sensitive, as in CloudWatch.
 */
export function matchesFilterPattern(pattern: string | undefined, message: string): boolean {
  if (!pattern || !pattern.trim()) return true;
  const terms = pattern.match(/[?-]?"[^"]*"|\S+/g) ?? [];
  const anyOf: string[] = [];
  for (const raw of terms) {
    const prefix = raw[0] === '?' || raw[0] === '-' ? raw[0] : '';
    const term = raw.slice(prefix.length).replace(/^"(.*)"$/, '$1');
    if (prefix === '?') anyOf.push(term);
    else if (prefix === '-' ? message.includes(term) : !message.includes(term)) return false;
  }
  return anyOf.length === 0 || anyOf.some((term) => message.includes(term));
}

function rejectedEvents(world: World, events: { timestamp: number }[], retentionInDays?: number) {
  const now = world.now();
  const info: Record<string, number> = {};
  events.forEach((event, i) => {
    if (event.timestamp < now - 14 * DAY) info.tooOldLogEventEndIndex = i;
    if (retentionInDays && event.timestamp < now - retentionInDays * DAY) info.expiredLogEventEndIndex = i;
    if (event.timestamp > now + 2 * 3_600_000 && info.tooNewLogEventStartIndex === undefined)
      info.tooNewLogEventStartIndex = i;
  });
  return info;
}

const handlers: Record<string, JsonHandler> = {
  CreateLogGroup(input: { logGroupName?: string; tags?: Record<string, string> }, ctx) {
    const name = input.logGroupName ?? '';
    if (!GROUP_NAME.test(name)) throw invalid(`Invalid log group name: ${name}`);
    if (findLogGroup(ctx.world, ctx.region, name)) {
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    }
    createLogGroup(ctx.world, ctx.region, name, input.tags);
    return {};
  },

  DeleteLogGroup(input: GroupRef, ctx) {
    const group = requireGroup(ctx, input);
    logsState(ctx.world).groups.delete(`${group.region}/${group.logGroupName}`);
    return {};
  },

  DescribeLogGroups(input: { logGroupNamePrefix?: string; limit?: number; nextToken?: string }, ctx) {
    const limit = checkLimit(input.limit, 50);
    const groups = [...logsState(ctx.world).groups.values()]
      .filter((g) => g.region === ctx.region && g.logGroupName.startsWith(input.logGroupNamePrefix ?? ''))
      .sort((a, b) => (a.logGroupName < b.logGroupName ? -1 : 1));
    const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
    const page = groups.slice(start, start + limit);
    return {
      logGroups: page.map((g) => ({
        logGroupName: g.logGroupName,
        creationTime: g.creationTime,
        retentionInDays: g.retentionInDays,
        metricFilterCount: 0,
        arn: `${g.arn}:*`,
        logGroupArn: g.arn,
        storedBytes: 0,
        logGroupClass: 'STANDARD',
      })),
      nextToken: start + limit < groups.length ? Buffer.from(String(start + limit)).toString('base64') : undefined,
    };
  },

  CreateLogStream(input: GroupRef & { logStreamName?: string }, ctx) {
    const name = input.logStreamName ?? '';
    if (!name || name.length > 512 || /[:*]/.test(name)) throw invalid(`Invalid log stream name: ${name}`);
    const group = requireGroup(ctx, input);
    if (group.streams.has(name))
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    createLogStream(ctx.world, group, name);
    return {};
  },

  DescribeLogStreams(
    input: GroupRef & {
      logStreamNamePrefix?: string;
      orderBy?: string;
      descending?: boolean;
      limit?: number;
      nextToken?: string;
    },
    ctx,
  ) {
    const group = requireGroup(ctx, input);
    const limit = checkLimit(input.limit, 50);
    if (input.orderBy === 'LastEventTime' && input.logStreamNamePrefix) {
      throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const lastEvent = (s: LogStream) => s.events.at(-1)?.timestamp ?? 0;
    const streams = [...group.streams.values()]
      .filter((s) => s.logStreamName.startsWith(input.logStreamNamePrefix ?? ''))
      .sort((a, b) =>
        input.orderBy === 'LastEventTime' ? lastEvent(a) - lastEvent(b) : a.logStreamName < b.logStreamName ? -1 : 1,
      );
    if (input.descending) streams.reverse();
    const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
    return {
      logStreams: streams.slice(start, start + limit).map((s) => ({
        logStreamName: s.logStreamName,
        creationTime: s.creationTime,
        firstEventTimestamp: s.events[0]?.timestamp,
        lastEventTimestamp: s.events.at(-1)?.timestamp,
        lastIngestionTime: s.events.reduce((max, e) => Math.max(max, e.ingestionTime), 0) || undefined,
        arn: s.arn,
        storedBytes: 0,
      })),
      nextToken: start + limit < streams.length ? Buffer.from(String(start + limit)).toString('base64') : undefined,
    };
  },

  PutLogEvents(
    input: GroupRef & { logStreamName?: string; logEvents?: { timestamp: number; message: string }[] },
    ctx,
  ) {
    const events = input.logEvents ?? [];
    if (events.length < 1 || events.length > 10_000)
      throw invalid('logEvents must contain between 1 and 10000 events.');
    const bytes = events.reduce((sum, e) => sum + Buffer.byteLength(e.message ?? '') + 26, 0);
    if (bytes > 1_048_576) throw invalid('Upload too large: the batch exceeds 1,048,576 bytes.');
    for (let i = 1; i < events.length; i++) {
      if (events[i].timestamp < events[i - 1].timestamp) {
        throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
      }
    }
    if (events.at(-1)!.timestamp - events[0].timestamp > DAY) {
      throw invalid('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }
    const group = requireGroup(ctx, input);
    const stream = requireStream(group, input.logStreamName);
    const rejected = rejectedEvents(ctx.world, events, group.retentionInDays);
    const accepted = events.filter((_, i) => {
      const tooOld = Math.max(rejected.tooOldLogEventEndIndex ?? -1, rejected.expiredLogEventEndIndex ?? -1);
      return i > tooOld && i < (rejected.tooNewLogEventStartIndex ?? Infinity);
    });
    appendLogEvents(ctx.world, stream, accepted);
    return {
      nextSequenceToken: String(stream.events.length).padStart(56, '0'),
      rejectedLogEventsInfo: Object.keys(rejected).length ? rejected : undefined,
    };
  },

  GetLogEvents(
    input: GroupRef & {
      logStreamName?: string;
      startTime?: number;
      endTime?: number;
      nextToken?: string;
      limit?: number;
      startFromHead?: boolean;
    },
    ctx,
  ) {
    const stream = requireStream(requireGroup(ctx, input), input.logStreamName);
    const limit = checkLimit(input.limit, 10_000);
    const events = stream.events.filter((e) => inTime(e, input.startTime, input.endTime));
    let start: number;
    let end: number;
    if (input.nextToken) {
      const { direction, index } = parseToken(input.nextToken);
      const at = Math.min(index, events.length);
      [start, end] = direction === 'f' ? [at, Math.min(at + limit, events.length)] : [Math.max(0, at - limit), at];
    } else if (input.startFromHead) {
      [start, end] = [0, Math.min(limit, events.length)];
    } else {
      [start, end] = [Math.max(0, events.length - limit), events.length];
    }
    return {
      events: events
        .slice(start, end)
        .map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
      nextForwardToken: token('f', end),
      nextBackwardToken: token('b', start),
    };
  },

  FilterLogEvents(
    input: GroupRef & {
      logStreamNames?: string[];
      logStreamNamePrefix?: string;
      startTime?: number;
      endTime?: number;
      filterPattern?: string;
      nextToken?: string;
      limit?: number;
    },
    ctx,
  ) {
    if (input.logStreamNames && input.logStreamNamePrefix) {
      throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive.');
    }
    const group = requireGroup(ctx, input);
    const limit = checkLimit(input.limit, 10_000);
    const matched: (StoredLogEvent & { logStreamName: string })[] = [];
    for (const stream of group.streams.values()) {
      if (input.logStreamNames && !input.logStreamNames.includes(stream.logStreamName)) continue;
      if (input.logStreamNamePrefix && !stream.logStreamName.startsWith(input.logStreamNamePrefix)) continue;
      for (const event of stream.events) {
        if (inTime(event, input.startTime, input.endTime) && matchesFilterPattern(input.filterPattern, event.message)) {
          matched.push({ ...event, logStreamName: stream.logStreamName });
        }
      }
    }
    matched.sort((a, b) => a.timestamp - b.timestamp || (a.logStreamName < b.logStreamName ? -1 : 1));
    const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
    if (!Number.isInteger(start)) throw invalid('The specified nextToken is invalid.');
    return {
      events: matched.slice(start, start + limit),
      nextToken: start + limit < matched.length ? Buffer.from(String(start + limit)).toString('base64') : undefined,
    };
  },
};

/** Seed section: `{ "logs": { "logGroups": ["/ecs/web", { "name": "/ecs/api", "region": "eu-west-1" }] } }`. */
function seed(world: World, doc: Record<string, unknown>): void {
  const section = doc.logs as
    { region?: string; logGroups?: (string | { name: string; region?: string })[] } | undefined;
  for (const entry of section?.logGroups ?? []) {
    const { name, region } = typeof entry === 'string' ? { name: entry, region: undefined } : entry;
    const groupRegion = region ?? section?.region ?? 'us-east-1';
    if (!findLogGroup(world, groupRegion, name)) createLogGroup(world, groupRegion, name);
  }
}

export function logsService(): ServiceModule {
  return jsonService({ name: 'logs', targetPrefix: 'Logs_20140328', handlers, seed });
}
