// Checks every action's IAM permissions (actions/<name>/iam.json, hence its README policy and the CloudFormation
// template) against the AWS calls its runs made in the e2e suite, as recorded by the test harness
// (testing/testkit/src/iam-calls.ts). Fails when a call is not granted, when a granted action is never called, or
// when a read-only run (ecs-deploy's plan, rollback's dry run) calls what is not marked read-only.
//
//   SHIPYARD_IAM_CALLS_DIR=<dir> npx jest && npx tsx scripts/check-iam.ts <dir>     (npm test does both)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedCall } from '../testing/testkit/src/iam-calls';
import { actionsWithIam, grantedActions, readActionIam, readOnlyActions, type ActionIam } from './iam-policies';

export function readRecordedCalls(dir: string): RecordedCall[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RecordedCall);
}

/** IAM action → the operations that needed it, over the given calls. */
export function neededBy(calls: RecordedCall[]): Map<string, Set<string>> {
  const needed = new Map<string, Set<string>>();
  for (const call of calls) {
    for (const permission of call.permissions) {
      if (!needed.has(permission)) needed.set(permission, new Set());
      needed.get(permission)!.add(call.operation);
    }
  }
  return needed;
}

/** What is wrong with one action's permissions, given the calls of its runs; empty when they agree. */
export function iamProblems(iam: ActionIam, calls: RecordedCall[]): string[] {
  const where = `actions/${iam.action}/iam.json`;
  if (calls.length === 0) return [`${iam.action}: no call recorded (the e2e suite ran without recording?)`];
  const needed = neededBy(calls);
  const granted = new Set(grantedActions(iam));
  const problems: string[] = [];
  for (const [permission, operations] of [...needed].sort()) {
    if (granted.has(permission)) continue;
    const via = [...operations].filter((operation) => operation !== permission);
    problems.push(
      `${iam.action}: ${permission} is needed${via.length ? ` by ${via.join(', ')}` : ''} but ${where} does not grant it`,
    );
  }
  for (const permission of [...granted].filter((p) => !needed.has(p))) {
    problems.push(`${iam.action}: ${where} grants ${permission}, which no run called`);
  }
  if (iam.readOnlyRuns) {
    const { variant } = iam.readOnlyRuns;
    const readOnlyCalls = calls.filter((call) => call.variant.split(' ').includes(variant));
    const neededReadOnly = neededBy(readOnlyCalls);
    const marked = new Set(readOnlyActions(iam));
    for (const permission of neededReadOnly.keys()) {
      if (!marked.has(permission)) {
        problems.push(`${iam.action}: ${variant} runs call ${permission}, which ${where} does not mark readOnly`);
      }
    }
    for (const permission of [...marked].filter((p) => !neededReadOnly.has(p))) {
      problems.push(`${iam.action}: ${where} marks ${permission} readOnly, but no ${variant} run called it`);
    }
  }
  return problems;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: tsx scripts/check-iam.ts <folder of recorded calls>');
    process.exit(2);
  }
  const calls = readRecordedCalls(dir);
  const actions = actionsWithIam();
  const problems: string[] = [];
  for (const action of actions) {
    const iam = readActionIam(action);
    const own = calls.filter((call) => call.action === action);
    const found = iamProblems(iam, own);
    problems.push(...found);
    const called = neededBy(own).size;
    console.log(
      `${found.length ? '✘' : '✔'} ${action}: ${called} IAM actions needed by its calls, ${grantedActions(iam).length} granted`,
    );
  }
  for (const stray of new Set(calls.map((call) => call.action).filter((action) => !actions.includes(action)))) {
    problems.push(`${stray}: calls recorded, but actions/${stray}/iam.json does not exist`);
  }
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(problems.length ? 1 : 0);
}
