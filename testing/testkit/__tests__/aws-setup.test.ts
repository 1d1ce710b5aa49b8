import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  actionsWithIam,
  readActionIam,
  readmePath,
  readmeWithIamSection,
  readOnlyActions,
  ROOT,
  type ActionIam,
} from '../../../scripts/iam-policies';
import { iamProblems } from '../../../scripts/check-iam';

// docs/aws-setup/shipyard-oidc.yml, checked structurally: cfn-lint and CloudFormation's own validation are not
// available offline, so the template is parsed (with CloudFormation's short-form tags) and its shape, trust
// policies and permissions compared with what the actions need (actions/<name>/iam.json).

const TEMPLATE = join(ROOT, 'docs', 'aws-setup', 'shipyard-oidc.yml');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

const INTRINSICS = ['Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join', 'Select'];
const CONDITION_FUNCTIONS = ['And', 'Equals', 'Not', 'Or'];

/** CloudFormation's short forms (`!Sub x`, `!If [a, b, c]`) as the long forms (`{ "Fn::Sub": x }`). */
const cloudFormationTags: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  ...[...INTRINSICS, ...CONDITION_FUNCTIONS, 'Split', 'Sub', 'Transform'].flatMap((name) => [
    {
      tag: `!${name}`,
      resolve: (value: string) => ({ [`Fn::${name}`]: name === 'GetAtt' ? value.split('.') : value }),
    },
    ...(['seq', 'map'] as const).map((collection) => ({
      tag: `!${name}`,
      collection,
      resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [`Fn::${name}`]: node.toJSON() }),
    })),
  ]),
];

function parseTemplate(text: string): JsonMap {
  return parse(text, { customTags: cloudFormationTags }) as JsonMap;
}

const template = parseTemplate(readFileSync(TEMPLATE, 'utf8'));
const resources = template.Resources as Record<string, JsonMap>;
const properties = (name: string) => resources[name].Properties as JsonMap;
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** A list as CloudFormation sees it when every condition holds: `!If [c, x, NoValue]` items are x. */
function whenEveryConditionHolds(items: Json[]): JsonMap[] {
  return items.map((item) => {
    const branches = (item as JsonMap)['Fn::If'] as Json[] | undefined;
    return (branches ? branches[1] : item) as JsonMap;
  });
}

const policiesOf = (role: string) =>
  whenEveryConditionHolds(properties(role).Policies as Json[]).map((policy) => ({
    name: policy.PolicyName as string,
    statements: whenEveryConditionHolds((policy.PolicyDocument as JsonMap).Statement as Json[]),
  }));

/** Every value of the given key anywhere in the document. */
function collect(node: Json, key: string): Json[] {
  if (Array.isArray(node)) return node.flatMap((item) => collect(item, key));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => [...(k === key ? [v] : []), ...collect(v, key)]);
}

const ROLES: Record<string, { sub: string; policies: string[] }> = {
  BuildRole: { sub: 'repo:${GitHubRepository}:ref:refs/heads/${DeployBranch}', policies: ['build-push'] },
  StagingRole: {
    sub: 'repo:${GitHubRepository}:environment:${StagingEnvironment}',
    policies: ['ecs-deploy', 'migrate', 'invalidate-cdn', 'rollback'],
  },
  ProductionRole: {
    sub: 'repo:${GitHubRepository}:environment:${ProductionEnvironment}',
    policies: ['ecs-deploy', 'migrate', 'invalidate-cdn', 'rollback'],
  },
  PlanRole: { sub: 'repo:${GitHubRepository}:pull_request', policies: ['ecs-deploy-plan'] },
};

describe('the CloudFormation template', () => {
  test('holds GitHub’s OIDC provider (unless one exists) and the four roles, nothing else', () => {
    expect(Object.fromEntries(Object.entries(resources).map(([name, r]) => [name, r.Type]))).toEqual({
      GitHubOidcProvider: 'AWS::IAM::OIDCProvider',
      BuildRole: 'AWS::IAM::Role',
      PlanRole: 'AWS::IAM::Role',
      StagingRole: 'AWS::IAM::Role',
      ProductionRole: 'AWS::IAM::Role',
    });
    expect(resources.GitHubOidcProvider.Condition).toBe('CreateOidcProvider');
    expect(properties('GitHubOidcProvider')).toMatchObject({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test.each(Object.entries(ROLES))(
    '%s is trusted only through the provider, for audience sts.amazonaws.com and its one subject',
    (role, { sub }) => {
      const trust = properties(role).AssumeRolePolicyDocument as JsonMap;
      const statements = list(trust.Statement) as JsonMap[];
      expect(statements).toHaveLength(1);
      const [statement] = statements;
      expect(statement.Effect).toBe('Allow');
      expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(statement.Principal).toEqual({
        Federated: {
          'Fn::If': ['CreateOidcProvider', { Ref: 'GitHubOidcProvider' }, { Ref: 'ExistingOidcProviderArn' }],
        },
      });
      // StringEquals only: a StringLike with a wildcard would let other branches, environments or repositories in.
      expect(statement.Condition).toEqual({
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': { 'Fn::Sub': sub },
        },
      });
    },
  );

  test.each(Object.entries(ROLES))('%s has one inline policy per action it runs', (role, { policies }) => {
    expect(policiesOf(role).map((p) => p.name)).toEqual(policies);
  });

  const actionPolicies = Object.entries(ROLES).flatMap(([role, { policies }]) =>
    policies.filter((name) => actionsWithIam().includes(name)).map((name) => [role, name] as const),
  );
  test.each(actionPolicies)(
    '%s’s %s policy has the statements of the action’s iam.json: same Sids, actions and condition keys',
    (role, name) => {
      const iam: ActionIam = readActionIam(name);
      const policy = policiesOf(role).find((p) => p.name === name)!;
      const shape = (sid: string, actions: string[], condition: Json | undefined) => ({
        sid,
        actions: [...actions].sort(),
        condition: Object.fromEntries(
          Object.entries((condition ?? {}) as JsonMap).map(([operator, keys]) => [
            operator,
            Object.keys(keys as JsonMap),
          ]),
        ),
      });
      expect(policy.statements.map((s) => shape(s.Sid as string, list(s.Action) as string[], s.Condition))).toEqual(
        iam.statements.map((s) =>
          shape(
            s.sid,
            s.permissions.map((p) => p.action),
            s.condition as Json,
          ),
        ),
      );
    },
  );

  test('the plan role may call exactly what ecs-deploy’s mode: plan calls, all of it read-only', () => {
    const actions = policiesOf('PlanRole').flatMap((p) => p.statements.flatMap((s) => list(s.Action) as string[]));
    expect(actions.sort()).toEqual(readOnlyActions(readActionIam('ecs-deploy')));
    for (const action of actions) expect(action).toMatch(/^[a-z]+:(Describe|List|Get)[A-Za-z]+$/);
  });

  test('every policy statement allows named actions only, never a wildcard action', () => {
    const statements = Object.keys(ROLES).flatMap((role) => policiesOf(role).flatMap((p) => p.statements));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of list(statement.Action) as string[]) expect(action).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/);
    }
  });

  test('every Ref, ${…} in a Sub, GetAtt and condition names something the template declares', () => {
    const parameters = Object.keys(template.Parameters as JsonMap);
    const conditions = Object.keys(template.Conditions as JsonMap);
    const names = new Set([...parameters, ...Object.keys(resources)]);
    const pseudo = (name: string) => name.startsWith('AWS::');
    for (const ref of collect(template, 'Ref') as string[]) expect(pseudo(ref) || names.has(ref)).toBe(true);
    for (const sub of collect(template, 'Fn::Sub') as string[]) {
      for (const [, name] of sub.matchAll(/\$\{([^}]+)\}/g)) expect(pseudo(name) || names.has(name)).toBe(true);
    }
    for (const [resource] of collect(template, 'Fn::GetAtt') as string[][]) expect(resources[resource]).toBeDefined();
    const used = [
      ...(collect(template, 'Fn::If') as Json[][]).map(([condition]) => condition),
      ...Object.values(resources).flatMap((r) => (r.Condition ? [r.Condition] : [])),
    ];
    for (const condition of used) expect(conditions).toContain(condition);
    // And nothing declared goes unused.
    const text = JSON.stringify({ ...template, Parameters: undefined, Metadata: undefined });
    for (const parameter of parameters) expect(text).toMatch(new RegExp(`"${parameter}"|\\$\\{${parameter}\\}`));
  });
});

describe("deploy.yml's credentials", () => {
  const SECRET_OF_ROLE: Record<string, string> = {
    BuildRole: 'BUILD_AWS_ROLE_ARN',
    StagingRole: 'STAGING_AWS_ROLE_ARN',
    ProductionRole: 'PRODUCTION_AWS_ROLE_ARN',
  };
  const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'deploy.yml'), 'utf8')) as {
    jobs: Record<string, { 'timeout-minutes'?: number; steps?: { uses?: string; with?: Record<string, Json> }[] }>;
  };
  const logins = Object.values(workflow.jobs).flatMap((job) =>
    (job.steps ?? [])
      .filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))
      .map((step) => ({ job, with: step.with ?? {} })),
  );

  test.each(Object.entries(SECRET_OF_ROLE))(
    'ask %s for no longer a session than it allows, and for as long as the job may run when it allows that',
    (role, secret) => {
      const maxSession = properties(role).MaxSessionDuration as number;
      const using = logins.filter((login) => String(login.with['role-to-assume']).includes(`secrets.${secret}`));
      expect(using.length).toBeGreaterThan(0);
      for (const login of using) {
        const asked = Number(login.with['role-duration-seconds'] ?? 3600);
        expect(asked).toBeLessThanOrEqual(maxSession);
        const jobSeconds = (login.job['timeout-minutes'] ?? 360) * 60;
        if (maxSession >= jobSeconds) expect(asked).toBeGreaterThanOrEqual(jobSeconds);
      }
    },
  );
});

describe('the README IAM sections', () => {
  test.each(actionsWithIam())(
    'actions/%s/README.md is what scripts/iam-policies.ts writes (run it if not)',
    (action) => {
      const readme = readFileSync(readmePath(action), 'utf8');
      expect(readme).toBe(readmeWithIamSection(readme, readActionIam(action)));
    },
  );
});

describe('the IAM check against recorded calls (scripts/check-iam.ts)', () => {
  const iam: ActionIam = {
    action: 'demo',
    readOnlyRuns: { variant: 'mode=plan', label: '`mode: plan`' },
    statements: [
      {
        sid: 'All',
        resource: '*',
        permissions: [
          { action: 'ecs:DescribeServices', for: 'reading', readOnly: true },
          { action: 'ecs:RegisterTaskDefinition', for: 'registering' },
          { action: 'iam:PassRole', for: 'roles' },
        ],
      },
    ],
  };
  const call = (operation: string, variant = 'mode=deploy', permissions = [operation]) => ({
    action: 'demo',
    variant,
    operation,
    permissions,
  });
  const agreeing = [
    call('ecs:DescribeServices', 'mode=plan'),
    call('ecs:RegisterTaskDefinition', 'mode=deploy', ['ecs:RegisterTaskDefinition', 'iam:PassRole']),
  ];

  test('agrees when every granted action was needed and every needed one is granted', () => {
    expect(iamProblems(iam, agreeing)).toEqual([]);
  });

  test('names a needed action the policy lacks, with the call that needed it', () => {
    const calls = [...agreeing, call('ecs:RunTask', 'mode=deploy', ['ecs:RunTask', 'ecs:TagResource'])];
    expect(iamProblems(iam, calls)).toEqual([
      'demo: ecs:RunTask is needed but actions/demo/iam.json does not grant it',
      'demo: ecs:TagResource is needed by ecs:RunTask but actions/demo/iam.json does not grant it',
    ]);
  });

  test('names a granted action no run called', () => {
    expect(iamProblems(iam, [call('ecs:DescribeServices', 'mode=plan')])).toEqual([
      'demo: actions/demo/iam.json grants ecs:RegisterTaskDefinition, which no run called',
      'demo: actions/demo/iam.json grants iam:PassRole, which no run called',
    ]);
  });

  test('holds read-only runs to the actions marked readOnly, both ways', () => {
    const calls = [
      call('ecs:DescribeServices', 'mode=deploy'),
      call('ecs:RegisterTaskDefinition', 'mode=plan', ['ecs:RegisterTaskDefinition', 'iam:PassRole']),
    ];
    expect(iamProblems(iam, calls)).toEqual([
      'demo: mode=plan runs call ecs:RegisterTaskDefinition, which actions/demo/iam.json does not mark readOnly',
      'demo: mode=plan runs call iam:PassRole, which actions/demo/iam.json does not mark readOnly',
      'demo: actions/demo/iam.json marks ecs:DescribeServices readOnly, but no mode=plan run called it',
    ]);
  });

  test('an action without any recorded call is a problem, not a pass', () => {
    expect(iamProblems(iam, [])).toEqual(['demo: no call recorded (the e2e suite ran without recording?)']);
  });
});
