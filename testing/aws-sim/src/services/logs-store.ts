import type { World } from '../world';

/** CloudWatch Logs state, shared by the Logs API and the ECS awslogs driver. */

export interface StoredLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

export interface LogStream {
  logStreamName: string;
  arn: string;
  creationTime: number;
  /** Ordered by timestamp (stable for equal timestamps). */
  events: StoredLogEvent[];
  storedBytes: number;
}

export interface LogGroup {
  logGroupName: string;
  arn: string;
  region: string;
  creationTime: number;
  retentionInDays?: number;
  tags: Record<string, string>;
  streams: Map<string, LogStream>;
}

export class LogsState {
  /** `<region>/<group name>` → group. */
  readonly groups = new Map<string, LogGroup>();
  eventSeq = 0;
}

export const logsState = (world: World): LogsState => world.store('logs', () => new LogsState());

export function findLogGroup(world: World, region: string, name: string): LogGroup | undefined {
  return logsState(world).groups.get(`${region}/${name}`);
}

export function createLogGroup(
  world: World,
  region: string,
  name: string,
  tags: Record<string, string> = {},
): LogGroup {
  const group: LogGroup = {
    logGroupName: name,
    arn: `arn:aws:logs:${region}:${world.accountId}:log-group:${name}`,
    region,
    creationTime: world.now(),
    tags,
    streams: new Map(),
  };
  logsState(world).groups.set(`${region}/${name}`, group);
  return group;
}

export function createLogStream(world: World, group: LogGroup, name: string): LogStream {
  const stream: LogStream = {
    logStreamName: name,
    arn: `${group.arn}:log-stream:${name}`,
    creationTime: world.now(),
    events: [],
    storedBytes: 0,
  };
  group.streams.set(name, stream);
  return stream;
}

/** Appends events (any order) keeping the stream sorted by timestamp. */
export function appendLogEvents(
  world: World,
  stream: LogStream,
  events: { timestamp: number; message: string }[],
): void {
  const state = logsState(world);
  // Whole milliseconds, as CloudWatch Logs answers (the model's long): simulated events may fall between two.
  const ingestionTime = Math.floor(world.now());
  for (const event of events) {
    const stored = {
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime,
      eventId: String(++state.eventSeq).padStart(56, '0'),
    };
    let i = stream.events.length;
    while (i > 0 && stream.events[i - 1].timestamp > stored.timestamp) i--;
    stream.events.splice(i, 0, stored);
    stream.storedBytes += Buffer.byteLength(event.message) + 26;
  }
}

/** What the awslogs driver does for one line: the stream must exist (the task created it at start). */
export function writeContainerLog(world: World, region: string, group: string, stream: string, message: string): void {
  const logStream = findLogGroup(world, region, group)?.streams.get(stream);
  if (logStream) appendLogEvents(world, logStream, [{ timestamp: Math.floor(world.now()), message }]);
}
