import { types } from 'node:util';
import * as core from './core';

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

/**
 * The one top-level catch every action's entry point goes through: any error becomes
 * `core.setFailed("<action>: <one-line cause>")`, with details (and the stack in debug mode) logged first.
 */
export async function runAction(action: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    for (const line of errorDetails(error)) core.info(line);
    if (core.isDebug() && !(error instanceof ConfigError)) {
      for (const stack of stacks(error)) core.debug(stack);
    }
    core.setFailed(`${action}: ${describeError(error)}`);
  }
}

/** Everything about an error that does not fit the one-line cause: the rest of a multi-line message, a failure's
 * details, the AWS request id (what AWS support asks for). */
function errorDetails(error: unknown): string[] {
  const lines: string[] = [];
  if (isError(error)) {
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

function awsCause(cause: unknown): string {
  if (!isError(cause)) return firstLine(String(cause)) || 'unknown error';
  const message = firstLine(cause.message);
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
