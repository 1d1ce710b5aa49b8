/** The directories, files and GITHUB_* / RUNNER_* variables the runner prepares around a step. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunnerDirectories {
  workspace: string;
  temp: string;
  toolCache: string;
  eventPath: string;
}

/** Creates RUNNER_TEMP, RUNNER_TOOL_CACHE, the workspace (unless the test brings one) and the event payload. */
export function createRunnerDirectories(home: string, workspace: string | undefined, event: object): RunnerDirectories {
  const dirs = {
    workspace: workspace ?? join(home, 'workspace'),
    temp: join(home, '_temp'),
    toolCache: join(home, '_tool'),
    eventPath: join(home, '_github_workflow', 'event.json'),
  };
  for (const dir of [dirs.workspace, dirs.temp, dirs.toolCache, join(home, '_github_workflow')]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(dirs.eventPath, JSON.stringify(event, null, 2));
  return dirs;
}

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const RUNNER_OS: Partial<Record<NodeJS.Platform, string>> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

/** Context variables with plausible defaults; the test's `env` option overrides any of them. */
export function runnerContextVariables(dirs: RunnerDirectories, actionDir: string): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__self',
    GITHUB_ACTION_PATH: actionDir,
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '583231',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_BASE_REF: '',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: dirs.eventPath,
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_HEAD_REF: '',
    GITHUB_JOB: 'test',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REPOSITORY: 'shipyard-tests/app',
    GITHUB_REPOSITORY_ID: '1',
    GITHUB_REPOSITORY_OWNER: 'shipyard-tests',
    GITHUB_REPOSITORY_OWNER_ID: '1',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: '1000000001',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: SHA,
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'harness',
    GITHUB_WORKFLOW_REF: `shipyard-tests/app/.github/workflows/harness.yml@refs/heads/main`,
    GITHUB_WORKFLOW_SHA: SHA,
    GITHUB_WORKSPACE: dirs.workspace,
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_NAME: 'shipyard-testkit',
    RUNNER_OS: RUNNER_OS[process.platform] ?? 'Linux',
    RUNNER_TEMP: dirs.temp,
    RUNNER_TOOL_CACHE: dirs.toolCache,
  };
}

/** The host's environment minus anything that would let a real CI job's context leak into the harnessed step. */
export function inheritedEnvironment(): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(GITHUB_|INPUT_|STATE_|RUNNER_|ACTIONS_)/.test(key)) inherited[key] = value;
  }
  return inherited;
}

/** The runner's per-step file commands, created empty. */
export const FILE_COMMANDS = {
  GITHUB_OUTPUT: 'set_output',
  GITHUB_STATE: 'save_state',
  GITHUB_ENV: 'set_env',
  GITHUB_PATH: 'add_path',
  GITHUB_STEP_SUMMARY: 'step_summary',
} as const;

export type FileCommandFiles = Record<keyof typeof FILE_COMMANDS, string>;

export function createFileCommandFiles(home: string, step: string): FileCommandFiles {
  const dir = join(home, '_runner_file_commands');
  mkdirSync(dir, { recursive: true });
  const files = {} as FileCommandFiles;
  for (const [variable, prefix] of Object.entries(FILE_COMMANDS) as [keyof FileCommandFiles, string][]) {
    files[variable] = join(dir, `${prefix}_${step}`);
    writeFileSync(files[variable], '');
  }
  return files;
}
