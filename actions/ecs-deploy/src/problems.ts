import * as core from '@shipyard/platform/core';
import { ConfigError } from '@shipyard/platform/errors';
import type { ValuePath } from '@shipyard/platform/model-shapes';
import { positionOf } from '@shipyard/platform/source-position';
import { SummaryBuilder, writeSummary } from '@shipyard/platform/summary';

// Problems in a task definition or an input, each with where it is, so the failure annotates the very line of the
// file (a pull request shows it in place) and the job summary lists the same places.

export interface Problem {
  message: string;
  /** Heading of the annotation, e.g. `Unknown key`. */
  title?: string;
  /** Where in the task definition, when the problem is about one value of it. */
  path?: ValuePath;
}

/** Where the task definition's text came from, to turn a Problem's path into a line and column. */
export interface DocumentText {
  text: string;
  /** The file as the input named it (relative to the workspace); undefined for an inline document. */
  file?: string;
  /** The document's path in the text: `["taskDefinition"]` for a saved `describe-task-definition` answer. */
  prefix: ValuePath;
}

export interface LocatedProblem extends Problem {
  file?: string;
  line?: number;
  column?: number;
}

/** One ConfigError for every problem found; the first line names the source and the first problem. */
export class ProblemsError extends ConfigError {
  constructor(
    subject: string,
    readonly problems: LocatedProblem[],
  ) {
    const count = problems.length;
    const more = count > 1 ? ` (and ${count - 1} more problem${count > 2 ? 's' : ''})` : '';
    const list = count > 1 ? `\n${problems.map((p) => `  - ${where(p)}${p.message}`).join('\n')}` : '';
    const first = problems[0].message;
    // A sentence ending in "did you mean …?" needs no full stop after it.
    const stop = first.endsWith('?') && !more ? '' : '.';
    super(`${subject}: ${first}${more}${stop}${list}`);
  }
}

function where(problem: LocatedProblem): string {
  if (problem.line === undefined) return '';
  return `${problem.file ?? 'inline'}:${problem.line}:${problem.column}: `;
}

/** Throws a ProblemsError when there are problems, each located in `source` when its path is known. */
export function failOnProblems(subject: string, problems: Problem[], source?: DocumentText): void {
  if (problems.length === 0) return;
  throw new ProblemsError(subject, source ? problems.map((p) => locate(p, source)) : problems);
}

function locate(problem: Problem, source: DocumentText): LocatedProblem {
  if (!problem.path) return { ...problem, file: source.file };
  const position = positionOf(
    source.text,
    [...source.prefix, ...problem.path],
    problem.title === UNKNOWN_KEY ? 'key' : 'value',
  );
  return { ...problem, file: source.file, ...(position && { line: position.line, column: position.column }) };
}

const UNKNOWN_KEY = 'Unknown key';

/** One annotation per problem at its file, line and column, and the same list in the job summary. */
export async function reportProblems(error: ProblemsError): Promise<void> {
  for (const problem of error.problems) {
    core.error(problem.message, {
      title: problem.title ?? 'Invalid task definition',
      file: problem.file,
      startLine: problem.line,
      startColumn: problem.column,
    });
  }
  await writeSummary(
    new SummaryBuilder().heading('ECS deploy: the task definition or inputs are not valid').table(
      ['Where', 'Problem'],
      error.problems.map((p) => [
        p.line === undefined ? (p.file ?? 'inputs') : `\`${where(p).slice(0, -2)}\``,
        p.message,
      ]),
    ),
  );
}
