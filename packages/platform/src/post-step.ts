import { EOL } from 'node:os';

// A post step runs after every run of its action and almost always has nothing to do. On a runner that is decided
// from the STATE_* variables alone, before anything is loaded: @actions/core by itself takes longer than an idle post
// step may (bench/startup.ts). Off a runner (GITHUB_ACTIONS unset, e.g. @github/local-action, which keeps saved state
// in memory and runs main and post in one process) saved state is readable only through @actions/core, so the post
// step is loaded and decides for itself.

export interface PostStep {
  /** Whether what main saved leaves nothing to do; `saved(name)` is the saved value, '' when main saved none. */
  idle: (saved: (name: string) => string) => boolean;
  /** The line printed when there is nothing to do. */
  idleMessage: string;
  /** Loads the post step's module, which decides again from the state it reads through @actions/core. */
  load: () => Promise<{ runPost(): Promise<void> }>;
}

export async function runPostStep(step: PostStep): Promise<void> {
  const onRunner = process.env.GITHUB_ACTIONS === 'true';
  if (onRunner && step.idle((name) => process.env[`STATE_${name}`] ?? '')) {
    process.stdout.write(`${step.idleMessage}${EOL}`);
    return;
  }
  const { runPost } = await step.load();
  await runPost();
}
