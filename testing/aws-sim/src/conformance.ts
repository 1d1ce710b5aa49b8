import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkShape, type TrimmedModel } from '@shipyard/platform/model-shapes';
import { ELBV2_MODEL } from './conformance-elbv2';
import { readXmlAnswer, xmlErrorCode } from './conformance-xml';
import type { RequestRecord } from './world';

// Checks the sim's answers against the official AWS API models (the trimmed copies in aws-models/): every answer has
// its operation's output shape (required members, enum values, types, no members AWS does not have), JSON and XML
// alike (XML read as the SDK reads it, see conformance-xml.ts), and every error code is one the model lists for the
// operation or one of AWS's common errors.

const MODELS_DIR = join(__dirname, '..', '..', '..', 'aws-models');

/** Services whose answers are checked: all the AWS services aws-sim speaks (not the GitHub API). */
export const CHECKED_SERVICES = ['ecs', 'ecr', 'logs', 'cloudfront', 'rds', 'elbv2'] as const;

/** Services without an official model in aws-models/: checked against a hand-written one from the API reference. */
const HAND_WRITTEN_MODELS: Record<string, TrimmedModel> = { elbv2: ELBV2_MODEL };

/**
 * Errors any operation may answer (AWS's "Common Errors" and the JSON protocol's own): they are in no operation's
 * list.
 */
export const COMMON_ERRORS = new Set([
  'AccessDeniedException',
  'IncompleteSignature',
  'InternalFailure',
  'InvalidAction',
  'InvalidClientTokenId',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'InvalidQueryParameter',
  'MalformedQueryString',
  'MissingAction',
  'MissingAuthenticationToken',
  'MissingParameter',
  'NotAuthorized',
  'OptInRequired',
  'RequestExpired',
  'SerializationException',
  'ServiceUnavailable',
  'ThrottlingException',
  'UnknownOperationException',
  'UnrecognizedClientException',
  'ValidationError',
  'ValidationException',
]);

export interface Violation {
  service: string;
  operation: string;
  message: string;
}

const models = new Map<string, TrimmedModel>();

function modelOf(service: string): TrimmedModel {
  if (HAND_WRITTEN_MODELS[service]) return HAND_WRITTEN_MODELS[service];
  if (!models.has(service)) {
    models.set(service, JSON.parse(readFileSync(join(MODELS_DIR, `${service}.json`), 'utf8')) as TrimmedModel);
  }
  return models.get(service)!;
}

/** Every way the recorded answers differ from what AWS can answer. */
export function modelViolations(records: readonly RequestRecord[]): Violation[] {
  return (
    records
      // Injected faults answer as a proxy or a broken network would, on purpose: not the sim speaking for AWS.
      .filter((r) => (CHECKED_SERVICES as readonly string[]).includes(r.service) && !r.injected && !r.registryApi)
      .flatMap((record) =>
        recordViolations(record).map((message) => ({ service: record.service, operation: record.operation, message })),
      )
  );
}

function recordViolations(record: RequestRecord): string[] {
  const model = modelOf(record.service);
  const operation = model.operations[record.operation];
  if (!operation) return [`${record.operation} is not an operation of ${record.service}`];
  const xml = model.protocol !== 'json';
  if (record.errorCode !== undefined) {
    const known = operation.errors.includes(record.errorCode) || COMMON_ERRORS.has(record.errorCode);
    const problems = known
      ? []
      : [`error ${record.errorCode} is not one ${record.operation} answers (${operation.errors.join(', ')})`];
    const written = xml ? xmlErrorCode(record.responseBody ?? '') : record.errorCode;
    if (written !== record.errorCode) problems.push(`the error document does not name ${record.errorCode}`);
    return problems;
  }
  if (record.status !== (operation.status ?? 200)) {
    return [`HTTP ${record.status} for a success, not ${operation.status ?? 200}, or without an error code`];
  }
  if (xml) return xmlViolations(model, record);
  let body: unknown;
  try {
    body = JSON.parse(record.responseBody ?? '');
  } catch {
    return ['the answer is not JSON'];
  }
  if (!operation.output) {
    const empty = typeof body === 'object' && body !== null && Object.keys(body).length === 0;
    return empty ? [] : ['the operation has no output, but the answer has members'];
  }
  return checkShape(modelOf(record.service).shapes, operation.output, body, { limits: false }).map((p) => p.message);
}

function xmlViolations(model: TrimmedModel, record: RequestRecord): string[] {
  const body = record.responseBody ?? '';
  if (!model.operations[record.operation].output)
    return body.trim() ? ['the operation has no output, but the answer has a body'] : [];
  const { value, problems } = readXmlAnswer(model, record.operation, body);
  if (value === undefined) return problems;
  const output = model.operations[record.operation].output!;
  return [...problems, ...checkShape(model.shapes, output, value, { limits: false }).map((p) => p.message)];
}

/** `N violations` and one line per distinct violation (with how often it happened), for a test's failure message. */
export function formatViolations(violations: readonly Violation[]): string {
  const counts = new Map<string, number>();
  for (const v of violations) {
    const line = `${v.service}:${v.operation}: ${v.message.replace(/\[\d+\]/g, '[]')}`;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const lines = [...counts].map(([line, n]) => `  ${line}${n > 1 ? ` (×${n})` : ''}`);
  return [`${violations.length} model violation${violations.length === 1 ? '' : 's'}`, ...lines].join('\n');
}

/** Throws, listing them, when answers the sim gave differ from the models (call it before closing a sim). */
export function expectModelConformance(records: readonly RequestRecord[]): void {
  const violations = modelViolations(records);
  if (violations.length) throw new Error(`aws-sim answered what AWS does not: ${formatViolations(violations)}`);
}
