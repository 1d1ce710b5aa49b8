import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { taskId } from './names';

// Reads what ECS containers wrote through the awslogs driver. Loads the CloudWatch Logs SDK: import this module
// only after the inputs are valid (lazily), never from an action's entry point.

/** Where one container of one task writes its log. */
export interface LogLocation {
  group: string;
  stream: string;
  /** `awslogs-region` when the task definition sets it; logs may live in another region than the service. */
  region?: string;
}

/**
 * The log stream of a container, from the task definition's awslogs options: `<awslogs-stream-prefix>/<container
 * name>/<task id>` in `awslogs-group`. Undefined when the container does not use awslogs or has no stream prefix
 * (then the stream is named after the Docker container id, which ECS does not report).
 */
export function awslogsLocation(
  taskDefinition: Pick<TaskDefinition, 'containerDefinitions'>,
  containerName: string,
  taskArn: string,
): LogLocation | undefined {
  const container = taskDefinition.containerDefinitions?.find((c) => c.name === containerName);
  const config = container?.logConfiguration;
  if (config?.logDriver !== 'awslogs') return undefined;
  const group = config.options?.['awslogs-group'];
  const prefix = config.options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return undefined;
  return { group, stream: `${prefix}/${containerName}/${taskId(taskArn)}`, region: config.options?.['awslogs-region'] };
}

export function describeLocation(location: LogLocation): string {
  return `${location.group} › ${location.stream}`;
}

function isMissingStream(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

/** The last `limit` lines of a stream, oldest first; [] when the stream does not exist (the container never ran). */
export async function tailLogLines(
  client: CloudWatchLogsClient,
  location: LogLocation,
  limit: number,
): Promise<string[]> {
  try {
    const response = await client.send(
      new GetLogEventsCommand({
        logGroupName: location.group,
        logStreamName: location.stream,
        limit,
        startFromHead: false,
      }),
    );
    return (response.events ?? []).map((event) => (event.message ?? '').replace(/\n$/, '')).slice(-limit);
  } catch (error) {
    if (isMissingStream(error)) return [];
    throw error;
  }
}

/**
 * Follows one stream from its beginning: each `next()` returns the lines written since the previous call, reading
 * every page (GetLogEvents' nextForwardToken is unchanged once the end is reached). A stream that does not exist
 * yet (the container has not started) yields no lines.
 */
export class LogFollower {
  private token: string | undefined;

  constructor(
    private readonly client: CloudWatchLogsClient,
    readonly location: LogLocation,
  ) {}

  async next(signal?: AbortSignal): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      let response;
      try {
        response = await this.client.send(
          new GetLogEventsCommand({
            logGroupName: this.location.group,
            logStreamName: this.location.stream,
            startFromHead: true,
            nextToken: this.token,
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (isMissingStream(error)) return lines;
        throw error;
      }
      for (const event of response.events ?? []) lines.push((event.message ?? '').replace(/\n$/, ''));
      const previous = this.token;
      this.token = response.nextForwardToken ?? previous;
      if (!response.events?.length || this.token === previous) return lines;
    }
  }
}
