/**
 * What must hold after any run, faulted or not, once main and post are done: every target is where the user asked
 * or back where it was; exit 0 only when what was asked happened; the headline error names what is not where it
 * was asked and, when Shipyard could not restore it, what to do; after the failure only the way back changes AWS.
 */
import type { RequestRecord } from '@shipyard/aws-sim/world';
import type { ActionRun } from './run-action';

/** Something the run changes: a service's revision, a one-off task, an invalidation batch, a tag. */
export interface Target {
  /** How the error annotation should name it (a service name, a distribution id, a tag). */
  name: string;
  /** `intended`: what the user asked for; `known-good`: as before the run; else where it is stuck, in words. */
  state: string;
  /** Whether Shipyard can put it back (a service's revision) or not (an invalidation, a migration that ran). */
  reversible: boolean;
}

export interface Observation {
  targets: Target[];
  /** What only this scenario checks (e.g. an invalidation created twice). */
  violations: string[];
}

export interface InvariantInput {
  run: ActionRun;
  /** The run's requests, main and post. */
  calls: RequestRecord[];
  observation: Observation;
  /** The call after which the action knew something failed; undefined when nothing failed. */
  failure?: RequestRecord;
  isRestore(call: RequestRecord, failure: RequestRecord): boolean;
}

/** A console link or an AWS CLI command: how a user finishes what Shipyard could not. */
const REMEDY = /\baws [a-z0-9-]+ [a-z0-9-]+|console\.aws\.amazon\.com/;

export function checkInvariants({ run, calls, observation, failure, isRestore }: InvariantInput): string[] {
  const violations = [...observation.violations];
  const succeeded = run.exitCode === 0 && !run.timedOut;
  const headlines = headlineErrors(run);
  if (!succeeded && headlines.length === 0) violations.push('the step failed without an error annotation');
  for (const target of observation.targets) {
    if (target.state !== 'intended' && target.state !== 'known-good') {
      violations.push(`${target.name}: ${target.state}`);
      if (!headlines.some((headline) => REMEDY.test(headline))) {
        violations.push(`${target.name} is not restored and the error does not say what to do`);
      }
    }
    if (succeeded && target.state !== 'intended') {
      violations.push(`exit 0 although ${target.name} is not as asked (${target.state})`);
    }
    // Left as asked after a failure: only when the error names it and says how to put it back (Shipyard could not).
    const remedied = headlines.some((headline) => headline.includes(target.name) && REMEDY.test(headline));
    if (!succeeded && target.state === 'intended' && target.reversible && !remedied) {
      violations.push(`the step failed but ${target.name} stays as asked (not restored, not reported as done)`);
    }
    if (!succeeded && target.state !== 'intended' && !headlines.some((headline) => headline.includes(target.name))) {
      violations.push(`the first error annotation does not name ${target.name} (${target.state})`);
    }
  }
  if (failure) {
    for (const call of calls) {
      // GitHub deployment statuses report; they change nothing in AWS.
      if (call.seq <= failure.seq || !call.mutating || call.service === 'github' || isRestore(call, failure)) continue;
      violations.push(`${call.service}:${call.operation} after the failure, not a restore`);
    }
  }
  return [...new Set(violations)];
}

/** The first error annotation of main and of post: what a user reads first in the run's summary. */
export function headlineErrors(run: ActionRun): string[] {
  return [run, run.post]
    .map((step) => step?.annotations.find((annotation) => annotation.level === 'error')?.message)
    .filter((message): message is string => message !== undefined);
}
