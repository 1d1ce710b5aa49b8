/**
 * Records which AWS calls each action's runs make, as the evidence its IAM policy is checked against
 * (scripts/check-iam.ts, run by `npm test` after jest). Off unless SHIPYARD_IAM_CALLS_DIR names a folder.
 *
 * Every step gets its own AWS_SDK_UA_APP_ID, which the SDK adds to its user agent (`app/<id>`), and which the tests'
 * `docker` passes on to its daemon for the registry calls it stands in for; after the step, aws-sim's request log is
 * asked for the requests carrying that id. Requests of the test itself, of other steps and of other actions running
 * at the same time against the same sim are never counted. Each jest worker appends to its own file, so parallel workers never
 * interleave writes.
 */
import { appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const IAM_CALLS_DIR_VARIABLE = 'SHIPYARD_IAM_CALLS_DIR';

/** Inputs that decide which calls a run may make; their values label the run (`mode=plan`, `dry-run=true`). */
const VARIANT_INPUTS = ['mode', 'dry-run'];

/** One call an action made, as written to the calls file (one JSON object a line). */
export interface RecordedCall {
  action: string;
  /** The variant inputs of the run, e.g. `mode=plan`; empty when the action has none. */
  variant: string;
  /** The operation as AWS names it, `ecs:RegisterTaskDefinition`. */
  operation: string;
  /** The IAM actions the call needs: its own name, plus any it implies (iam:PassRole, ecs:TagResource). */
  permissions: string[];
}

/** What aws-sim's request log holds of a call (a subset of its RequestRecord). */
export interface LoggedRequest {
  service: string;
  operation: string;
  params?: unknown;
}

// aws-sim's service names that are AWS services, with their IAM prefixes; `github` is not AWS.
const IAM_PREFIXES: Record<string, string> = {
  ecs: 'ecs',
  logs: 'logs',
  ecr: 'ecr',
  cloudfront: 'cloudfront',
  rds: 'rds',
  elbv2: 'elasticloadbalancing',
};

/**
 * The IAM actions a request needs. Most need only their own name; a few are authorised on more than one action:
 * a task definition naming a task or execution role needs iam:PassRole on the role, and so does running a task
 * (its task definition's roles are handed to ECS again); tags given on a create call need the service's
 * TagResource too (ecs:CreateAction / aws:RequestTag conditions).
 */
export function permissionsFor(request: LoggedRequest): string[] {
  const prefix = IAM_PREFIXES[request.service];
  if (!prefix) return [];
  const params = (request.params ?? {}) as Record<string, unknown>;
  const tagged = Array.isArray(params.tags) && params.tags.length > 0;
  const permissions = [`${prefix}:${request.operation}`];
  switch (permissions[0]) {
    case 'ecs:RegisterTaskDefinition':
      if (params.taskRoleArn || params.executionRoleArn) permissions.push('iam:PassRole');
      if (tagged) permissions.push('ecs:TagResource');
      break;
    case 'ecs:RunTask':
      permissions.push('iam:PassRole');
      if (tagged) permissions.push('ecs:TagResource');
      break;
    case 'ecr:CreateRepository':
      if (tagged) permissions.push('ecr:TagResource');
      break;
  }
  return permissions;
}

/** The label of a run from its INPUT_* variables. */
export function runVariant(inputVariables: Record<string, string>): string {
  return VARIANT_INPUTS.filter((name) => `INPUT_${name.toUpperCase()}` in inputVariables)
    .map((name) => `${name}=${inputVariables[`INPUT_${name.toUpperCase()}`]}`)
    .join(' ');
}

let stepCount = 0;

export interface StepCallRecorder {
  /** Variables to add to the step's environment. */
  env: Record<string, string>;
  /** Reads the step's calls from aws-sim and appends them to the calls file. */
  collect(stepEnv: Record<string, string | undefined>): Promise<void>;
}

/** A recorder for one step of one run, or undefined when recording is off. */
export function stepCallRecorder(actionDir: string, variant: string): StepCallRecorder | undefined {
  const dir = process.env[IAM_CALLS_DIR_VARIABLE];
  if (!dir) return undefined;
  // At most 50 characters: the SDK warns about longer app ids.
  const appId = `shipyard-harness-${process.pid}-${++stepCount}`;
  const since = Date.now();
  return {
    env: { AWS_SDK_UA_APP_ID: appId },
    async collect(stepEnv) {
      const endpoint = stepEnv.AWS_ENDPOINT_URL;
      if (!endpoint) return;
      const requests = await readRequestLog(endpoint, since, `app/${appId}`);
      const action = basename(actionDir);
      const lines = new Set(
        requests
          .map((request) => ({
            action,
            variant,
            operation: `${IAM_PREFIXES[request.service]}:${request.operation}`,
            permissions: permissionsFor(request),
          }))
          .filter((call) => call.permissions.length > 0)
          .map((call) => JSON.stringify(call)),
      );
      if (lines.size) appendFileSync(join(dir, `calls-${process.pid}.jsonl`), [...lines].map((l) => `${l}\n`).join(''));
    },
  };
}

/** The requests aws-sim logged since `since` whose user agent contains `userAgent`; none when it is not aws-sim. */
async function readRequestLog(endpoint: string, since: number, userAgent: string): Promise<LoggedRequest[]> {
  const query = new URLSearchParams({ since: String(since), userAgent });
  try {
    const response = await fetch(`${endpoint.replace(/\/$/, '')}/_sim/requests?${query}`);
    const body: unknown = response.ok ? await response.json() : [];
    return Array.isArray(body) ? (body as LoggedRequest[]) : [];
  } catch {
    return []; // a test's own stand-in endpoint, or a sim already closed: nothing to read
  }
}
