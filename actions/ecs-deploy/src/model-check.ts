import { checkShape, type Shape, type ShapeProblem } from '@shipyard/platform/model-shapes';
import { Input } from './constants';
import { TASK_DEFINITION_ROOT, TASK_DEFINITION_SHAPES } from './generated/task-definition-shapes';
import type { ContainerOverride } from './parse';
import { failOnProblems, type DocumentText, type Problem } from './problems';
import { READ_ONLY_FIELDS } from './render';

// Task definitions and the inputs that change them, checked against the ECS API model's RegisterTaskDefinition
// request (the generated table): unknown keys (with a "did you mean"), types, enum values, required keys and the
// limits the model states. What the model cannot say (Fargate sizes, container references) is validate.ts's.

/** The shape name at a member path from the request, `[]` stepping into a list's items. */
function shapeAt(path: string[]): string {
  return path.reduce((name, step) => {
    const shape = TASK_DEFINITION_SHAPES[name] as Shape & { members?: Record<string, string>; member?: string };
    const next = step === '[]' ? shape.member : shape.members?.[step];
    if (!next) throw new Error(`The generated task definition table has no ${path.join('.')}.`);
    return next;
  }, TASK_DEFINITION_ROOT);
}

const asProblem = ({ path, title, message }: ShapeProblem): Problem => ({ path, title, message });

/** A task definition document (from a file or inline) as RegisterTaskDefinition would take it. */
export function checkDocumentAgainstModel(
  document: Record<string, unknown>,
  origin: string,
  text?: DocumentText,
): void {
  const problems = checkShape(TASK_DEFINITION_SHAPES, TASK_DEFINITION_ROOT, document, {
    // Saved files often hold `"field": null` and the read-only fields of a description: both are dropped.
    allowNull: true,
    extraRootKeys: READ_ONLY_FIELDS,
  });
  failOnProblems(`The task definition (${origin}) does not match the ECS API`, problems.map(asProblem), text);
}

export interface ModelCheckedInputs {
  env: ContainerOverride[];
  secrets: ContainerOverride[];
  cpu?: string;
  memory?: string;
  command?: string[];
}

/** The values the env, secrets, cpu, memory and command inputs put into a task definition. */
export function checkInputsAgainstModel(inputs: ModelCheckedInputs): void {
  const checks: [string, string[], unknown][] = [
    [Input.Env, ['containerDefinitions', '[]', 'environment'], inputs.env.map(({ name, value }) => ({ name, value }))],
    [
      Input.Secrets,
      ['containerDefinitions', '[]', 'secrets'],
      inputs.secrets.map(({ name, value }) => ({ name, valueFrom: value })),
    ],
    [Input.Cpu, ['cpu'], inputs.cpu],
    [Input.Memory, ['memory'], inputs.memory],
    [Input.Command, ['containerDefinitions', '[]', 'command'], inputs.command],
  ];
  const problems = checks
    .filter(([, , value]) => value !== undefined)
    .flatMap(([input, path, value]) =>
      checkShape(TASK_DEFINITION_SHAPES, shapeAt(path), value).map((p): Problem => ({
        title: p.title,
        message: `Input "${input}" ${p.message}`,
      })),
    );
  failOnProblems('The inputs do not match the ECS API', problems);
}
