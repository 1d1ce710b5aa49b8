import { types } from 'node:util';
import * as core from './core';
import { formatDuration } from './duration';

/** A mistake in the workflow or its inputs: the message says what to change; no stack is ever shown. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The shape AWS SDK v3 gives every service error: the error code as `name`, the response in `$metadata`. */
interface AwsSdkError extends Error {
  $metadata: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
}

/** An AWS call failed. `operation` is written the way IAM writes actions (`ecs:UpdateService`) so a missing
 * permission can be granted by copying it; `code` is the AWS error code when AWS answered. */
export class AwsOperationError extends Error {
  override name = 'AwsOperationError';
  readonly operation: string;
  readonly code?: string;
  override readonly cause: unknown;

  constructor(operation: string, cause: unknown) {
    const code = isAwsSdkError(cause) ? cause.name : undefined;
    super(`${operation} failed: ${awsCause(cause)}`, { cause });
    this.operation = operation;
    this.code = code;
    this.cause = cause;
  }
}

/** The thing we watched failed (a deployment, a migration task): `details` is printed to the log as is. */
export class DeploymentFailure extends Error {
  override name = 'DeploymentFailure';
  readonly details?: string;

  constructor(message: string, details?: string) {
    super(message);
    this.details = details;
  }
}

/** An error told with what it left behind ("nothing was changed: web stays on web:1"), after its own cause; details,
 * request ids and stacks are the cause's. */
export class FailureWithOutcome extends Error {
  override name = 'FailureWithOutcome';
  override readonly cause: unknown;

  constructor(cause: unknown, outcome: string) {
    super(`${describeError(cause).replace(/\.$/, '')}; ${outcome}`, { cause });
    this.cause = cause;
  }
}

/** A call kept answering that something created moments ago is unknown, for longer than eventual consistency
 * explains (consistency.ts): the answer is probably true. */
export class StillUnseenError extends Error {
  override name = 'StillUnseenError';
  override readonly cause: unknown;

  constructor(
    cause: unknown,
    /** How long the call was tried. */
    readonly waitedMs: number,
  ) {
    super(`${describeError(cause).replace(/\.$/, '')} (still so after ${formatDuration(waitedMs)} of retries)`, {
      cause,
    });
    this.cause = cause;
  }
}

/** `instanceof Error` that also holds for errors made in another realm (Node's own, seen from a jest sandbox). */
export function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

export function isAwsSdkError(error: unknown): error is AwsSdkError {
  return (
    isError(error) &&
    typeof (error as Partial<AwsSdkError>).$metadata === 'object' &&
    (error as Partial<AwsSdkError>).$metadata !== null
  );
}

// Filled by the middleware createClient installs, so any error thrown by `client.send` can name its operation
// without every call site wrapping it; a WeakMap leaves the SDK's error objects untouched.
const operationsByError = new WeakMap<object, string>();

export function rememberAwsOperation(error: unknown, operation: string): void {
  if (typeof error === 'object' && error !== null && !operationsByError.has(error)) {
    operationsByError.set(error, operation);
  }
}

/** Turns an error thrown by an AWS call into an AwsOperationError, or returns undefined for any other error. */
export function asAwsOperationError(error: unknown): AwsOperationError | undefined {
  if (error instanceof AwsOperationError) return error;
  const operation = typeof error === 'object' && error !== null ? operationsByError.get(error) : undefined;
  if (operation) return new AwsOperationError(operation, error);
  if (isAwsSdkError(error)) return new AwsOperationError('AWS request', error);
  return undefined;
}

/** One line explaining an error, as used after `<action>: ` in the failure message. */
export function describeError(error: unknown): string {
  const aws = asAwsOperationError(error);
  if (aws) return aws.message;
  if (isError(error)) return firstLine(error.message) || error.name;
  return firstLine(String(error)) || 'unknown error';
}

/** How a step ended, as its outputs and job summary tell it. */
export interface StepOutcome {
  succeeded: boolean;
  /** The first error's one-line cause, when it failed. */
  reason?: string;
}

/** Runs a step's work and records on `report` how it ended; `publish` (outputs, job summary) runs either way, and the
 * error still reaches `runAction`. */
export async function withOutcome<R extends StepOutcome>(
  report: R,
  work: () => Promise<void>,
  publish: (report: R) => Promise<void>,
): Promise<void> {
  try {
    await work();
    report.succeeded = true;
  } catch (error) {
    report.reason = describeError(error);
    throw error;
  } finally {
    await publish(report);
  }
}

/**
 * The one top-level catch every action's entry point goes through: any error becomes
 * `core.setFailed("<action>: <one-line cause>")`, with details (and the stack in debug mode) logged first.
 */
export async function runAction(action: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    for (const line of errorDetails(error)) core.info(line);
    const mistake = error instanceof FailureWithOutcome ? error.cause : error;
    if (core.isDebug() && !(mistake instanceof ConfigError)) {
      for (const stack of stacks(error)) core.debug(stack);
    }
    core.setFailed(`${action}: ${describeError(error)}`);
  }
}

/** Everything about an error that does not fit the one-line cause: the rest of a multi-line message, a failure's
 * details, the AWS request id (what AWS support asks for). */
function errorDetails(error: unknown): string[] {
  if (error instanceof FailureWithOutcome) return errorDetails(error.cause);
  const lines: string[] = [];
  // An unparsed answer's second line is the SDK's advice to inspect a hidden field: nothing a workflow user can do.
  if (isError(error) && !isUnparsedServerAnswer(error)) {
    const rest = error.message.split('\n').slice(1).join('\n').trim();
    if (rest) lines.push(rest);
  }
  if (error instanceof DeploymentFailure && error.details) lines.push(error.details);
  const aws = asAwsOperationError(error);
  if (aws && isAwsSdkError(aws.cause)) {
    const { requestId, httpStatusCode } = aws.cause.$metadata;
    if (requestId) lines.push(`AWS request id: ${requestId} (HTTP ${httpStatusCode ?? 'status unknown'})`);
  }
  return lines;
}

function stacks(error: unknown): string[] {
  const result: string[] = [];
  for (let current = error; isError(current) && result.length < 5; current = current.cause) {
    if (current.stack) result.push(result.length === 0 ? current.stack : `Caused by: ${current.stack}`);
  }
  return result;
}

// Error codes AWS answers when a call is throttled; the SDK retries them, so one reaching us outlasted the retries.
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);
// Node's codes for a connection that failed or dropped before an answer came.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
]);
const ACCESS_DENIED_CODES = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

/** The request may never have reached AWS, or AWS's answer never reached us: the connection failed or timed out. */
export function isNetworkError(error: unknown): boolean {
  if (!isError(error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === 'TimeoutError' || (typeof code === 'string' && NETWORK_CODES.has(code));
}

/** A 5xx whose body is not an AWS answer (an HTML page from a proxy, gateway or load balancer): the SDK could not
 * parse it and throws the parser's error with the response's metadata attached. */
export function isUnparsedServerAnswer(error: unknown): boolean {
  return isAwsSdkError(error) && (error.name === 'SyntaxError' || /Deserialization error/.test(error.message));
}

/** The role may not make this call: retrying cannot help, asking for the permission can. */
export function isAccessDenied(error: unknown): boolean {
  return isError(error) && ACCESS_DENIED_CODES.has(error.name);
}

/**
 * Whether the same call may well succeed a little later: throttling, a 5xx, an unparseable answer, a dropped or
 * timed-out connection. Also the errors after which a mutating call's effect is unknown (it may have been applied).
 */
export function isTransientError(error: unknown): boolean {
  if (!isError(error)) return false;
  if (isNetworkError(error) || THROTTLING_CODES.has(error.name)) return true;
  if (!isAwsSdkError(error)) return false;
  const status = error.$metadata.httpStatusCode ?? 0;
  return status >= 500 || status === 429 || isUnparsedServerAnswer(error);
}

/** Whether AWS may have applied a mutating call that threw: it answered no clear refusal (4xx) we could read, or the
 * call was abandoned (a cancelled run) after it may have gone out. */
export function mayHaveBeenApplied(error: unknown): boolean {
  if (isError(error) && error.name === 'AbortError') return true;
  return isTransientError(error) && !(isError(error) && THROTTLING_CODES.has(error.name));
}

function awsCause(cause: unknown): string {
  if (!isError(cause)) return firstLine(String(cause)) || 'unknown error';
  const message = firstLine(cause.message);
  if (isNetworkError(cause)) {
    const code = (cause as { code?: unknown }).code;
    return `no answer from AWS: the connection failed or timed out (${[cause.name, code, message].filter(Boolean).join(', ')}); a proxy, firewall or network problem between the runner and AWS, or a passing fault: re-run the job`;
  }
  if (isUnparsedServerAnswer(cause)) {
    const status = (cause as AwsSdkError).$metadata.httpStatusCode;
    return `HTTP ${status ?? 'error'} with a body that is not an AWS answer (a proxy, gateway or load balancer between the runner and AWS answered instead); re-run the job, and check HTTPS_PROXY and the endpoint if it persists`;
  }
  if (!isAwsSdkError(cause)) return message || cause.name;
  // Unmodelled errors arrive as e.g. name "UnknownError" with no message: the HTTP status is the only clue left.
  if (!message || message === cause.name) {
    const status = cause.$metadata.httpStatusCode;
    return status ? `${cause.name} (HTTP ${status})` : cause.name;
  }
  return `${cause.name}: ${message}`;
}

function firstLine(text: string): string {
  return text.trim().split('\n', 1)[0].trim();
}
