import { shipyardUserAgent } from './constants';
import { ConfigError, rememberAwsOperation } from './errors';

export interface ClientOptions {
  /** The action's name, used in the user agent (`shipyard/<action>/<version>`). */
  action: string;
  /** The region input; empty or undefined falls back to AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string;
  /** Total attempts per call, first try included; undefined keeps the SDK's default (AWS_MAX_ATTEMPTS or 3). */
  maxAttempts?: number;
  /** Every read made through the client is abandoned when this aborts (a cancelled run), unless it brings its own
   * signal; changes in flight finish. */
  signal?: AbortSignal;
}

/** What Shipyard sets in every AWS SDK v3 client config; any client constructor accepts it. */
export interface ShipyardClientConfig {
  region: string;
  maxAttempts?: number;
  retryMode: 'adaptive';
  customUserAgent: string;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

// The SDK waits forever for an answer by default: a connection that a proxy holds open without answering would hang
// the step until the job's own timeout. AWS answers these APIs within a second or two; a timed-out attempt is retried.
export const AWS_CONNECTION_TIMEOUT_MS = 5_000;
export const AWS_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Builds an AWS SDK v3 client the same way in every action. Credentials are left to the SDK's default chain (so
 * the environment set by aws-actions/configure-aws-credentials, OIDC included, just works), and so are endpoints
 * (AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, which is how tests reach aws-sim). Retries are adaptive: they back
 * off and rate-limit themselves when AWS throttles, which a deploy polling several APIs runs into.
 */
export function createClient<T>(ClientCtor: new (config: ShipyardClientConfig) => T, options: ClientOptions): T {
  const client = new ClientCtor({
    region: resolveRegion(options.region),
    maxAttempts: options.maxAttempts,
    retryMode: 'adaptive',
    customUserAgent: shipyardUserAgent(options.action),
    requestHandler: {
      connectionTimeout: AWS_CONNECTION_TIMEOUT_MS,
      requestTimeout: AWS_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  });
  if (hasMiddlewareStack(client)) nameOperationInErrors(client);
  if (options.signal) abortSendsOn(client, options.signal);
  return client;
}

/** The region input if given, else AWS_REGION, else AWS_DEFAULT_REGION (both set by configure-aws-credentials). */
export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const region = input?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new ConfigError(
      'No AWS region: set the region input, or AWS_REGION or AWS_DEFAULT_REGION ' +
        '(aws-actions/configure-aws-credentials sets both).',
    );
  }
  return region;
}

// IAM action prefixes that differ from the lower-cased client name.
const IAM_PREFIXES: Record<string, string> = {
  CloudWatchLogs: 'logs',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  ApplicationAutoScaling: 'application-autoscaling',
  SecretsManager: 'secretsmanager',
};

/** `ECSClient` + `UpdateServiceCommand` → `ecs:UpdateService`, the name IAM policies use for that call. */
export function iamOperationName(clientName: string, commandName: string): string {
  const service = clientName.replace(/Client$/, '');
  return `${IAM_PREFIXES[service] ?? service.toLowerCase()}:${commandName.replace(/Command$/, '')}`;
}

interface HandlerContext {
  clientName?: string;
  commandName?: string;
}

type Handler = (args: unknown) => Promise<unknown>;

interface MiddlewareHost {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: HandlerContext) => Handler,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

function hasMiddlewareStack(client: unknown): client is MiddlewareHost {
  const stack = (client as Partial<MiddlewareHost> | null)?.middlewareStack;
  return typeof stack?.add === 'function';
}

/** Lets runAction say `ecs:UpdateService failed: …` for any failed call without each call site wrapping it. */
function nameOperationInErrors(client: MiddlewareHost): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (context.clientName && context.commandName) {
          rememberAwsOperation(error, iamOperationName(context.clientName, context.commandName));
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'shipyardOperationName' },
  );
}

type Send = (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;

const READ = /^(Describe|List|Get|BatchGet)/;

/** The operation a command calls (`UpdateService`), from the schema the SDK attaches; undefined when unknown. */
function operationOf(command: unknown): string | undefined {
  const schema = (command as { schema?: unknown } | null)?.schema;
  return Array.isArray(schema) && typeof schema[2] === 'string' ? schema[2] : undefined;
}

/**
 * Gives every read the signal unless it brings its own: a hung read ends when the run is cancelled. A change in
 * flight is left to finish (each call times out on its own), so its outcome is known and recorded for the way back.
 */
function abortSendsOn(client: unknown, signal: AbortSignal): void {
  const host = client as { send?: Send };
  if (typeof host.send !== 'function') return;
  const send = host.send.bind(client);
  host.send = (command, options) =>
    READ.test(operationOf(command) ?? '') ? send(command, { abortSignal: signal, ...options }) : send(command, options);
}
