// The IAM permissions of each action, from one source: actions/<name>/iam.json. From it come the table and the policy
// in the action's README (between the iam-policy markers) and the set each inline policy of the CloudFormation
// template (docs/aws-setup/shipyard-oidc.yml) must grant; scripts/check-iam.ts checks it against the calls the e2e
// suite saw the action make.
//
//   npx tsx scripts/iam-policies.ts      rewrites the README sections
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const ACTIONS_DIR = join(ROOT, 'actions');

export interface PermissionDoc {
  /** The IAM action, `ecs:DescribeServices`. */
  action: string;
  /** What the action calls it for. */
  for: string;
  /** When it is called, if not on every run: `with \`keep-revisions\``. */
  when?: string;
  /** Set when the action goes on without it: what it does instead. */
  withoutIt?: string;
  /** Called by the read-only runs too (see ReadOnlyRuns). */
  readOnly?: boolean;
}

export interface StatementDoc {
  sid: string;
  /** The example resource(s) of the README policy. */
  resource: string | string[];
  condition?: Record<string, unknown>;
  permissions: PermissionDoc[];
}

export interface ReadOnlyRuns {
  /** The run label (testkit iam-calls: `mode=plan`, `dry-run=true`) of the runs that must change nothing. */
  variant: string;
  /** How the README names them: `` `mode: plan` ``. */
  label: string;
}

export interface ActionIam {
  action: string;
  readOnlyRuns?: ReadOnlyRuns;
  statements: StatementDoc[];
}

const IAM_ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z]+$/;

/** The actions that have an iam.json, sorted. */
export function actionsWithIam(): string[] {
  return readdirSync(ACTIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => {
      try {
        readFileSync(join(ACTIONS_DIR, name, 'iam.json'));
        return true;
      } catch {
        return false;
      }
    })
    .sort();
}

export function readActionIam(action: string): ActionIam {
  const file = join(ACTIONS_DIR, action, 'iam.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Omit<ActionIam, 'action'>;
  const seen = new Set<string>();
  for (const statement of doc.statements) {
    for (const permission of statement.permissions) {
      if (!IAM_ACTION.test(permission.action)) throw new Error(`${file}: "${permission.action}" is not an IAM action`);
      if (seen.has(permission.action)) throw new Error(`${file}: "${permission.action}" is listed twice`);
      seen.add(permission.action);
    }
  }
  if (doc.statements.some((s) => s.permissions.some((p) => p.readOnly)) && !doc.readOnlyRuns) {
    throw new Error(`${file}: permissions are marked readOnly but readOnlyRuns is missing`);
  }
  return { action, ...doc };
}

/** Every IAM action the action's policy grants. */
export function grantedActions(iam: ActionIam): string[] {
  return iam.statements.flatMap((s) => s.permissions.map((p) => p.action)).sort();
}

/** The IAM actions its read-only runs need. */
export function readOnlyActions(iam: ActionIam): string[] {
  return iam.statements.flatMap((s) => s.permissions.filter((p) => p.readOnly).map((p) => p.action)).sort();
}

/** The policy document the README shows. */
export function policyDocument(iam: ActionIam): object {
  return {
    Version: '2012-10-17',
    Statement: iam.statements.map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Action: s.permissions.length === 1 ? s.permissions[0].action : s.permissions.map((p) => p.action),
      Resource: s.resource,
      ...(s.condition ? { Condition: s.condition } : {}),
    })),
  };
}

export const SECTION_BEGIN =
  '<!-- iam-policy:begin — generated from iam.json by scripts/iam-policies.ts; edit iam.json -->';
export const SECTION_END = '<!-- iam-policy:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function needed(permission: PermissionDoc): string {
  if (permission.withoutIt) return `optional${permission.when ? `, ${permission.when}` : ''}: ${permission.withoutIt}`;
  return permission.when ?? 'always';
}

/** The generated part of the README's IAM section: the table, then the policy. */
export function renderIamSection(iam: ActionIam): string {
  const readOnly = iam.readOnlyRuns;
  const header = ['IAM action', 'Called for', 'Needed', ...(readOnly ? [readOnly.label] : [])];
  const rows = iam.statements.flatMap((s) =>
    s.permissions.map((p) => [
      `\`${p.action}\``,
      cell(p.for),
      cell(needed(p)),
      ...(readOnly ? [p.readOnly ? 'yes' : ''] : []),
    ]),
  );
  const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
  const lines = [
    SECTION_BEGIN,
    '',
    ...table,
    '',
    'The table is derived from the calls the action makes in the e2e suite: `npm test` fails when a call is missing',
    'here or a listed one is never made. The policy grants exactly these; narrow the resources to yours:',
    '',
    '```json',
    JSON.stringify(policyDocument(iam), null, 2),
    '```',
  ];
  if (readOnly) {
    lines.push('', `Runs with ${readOnly.label} need only the actions marked in that column: they change nothing.`);
  }
  return [...lines, '', SECTION_END].join('\n');
}

export function readmePath(action: string): string {
  return join(ACTIONS_DIR, action, 'README.md');
}

/** The README with its generated section replaced; it must hold the two markers. */
export function readmeWithIamSection(readme: string, iam: ActionIam): string {
  const begin = readme.indexOf(SECTION_BEGIN);
  const end = readme.indexOf(SECTION_END);
  if (begin < 0 || end < begin) throw new Error(`actions/${iam.action}/README.md: the iam-policy markers are missing`);
  return readme.slice(0, begin) + renderIamSection(iam) + readme.slice(end + SECTION_END.length);
}

if (require.main === module) {
  for (const action of actionsWithIam()) {
    const file = readmePath(action);
    writeFileSync(file, readmeWithIamSection(readFileSync(file, 'utf8'), readActionIam(action)));
    console.log(`Wrote the IAM section of ${file}`);
  }
}
