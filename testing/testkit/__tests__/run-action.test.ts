import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../src/run-action';

const fixtureAction = join(__dirname, '..', '__fixtures__', 'fixture-action');
const SECRET = 'tok-4f9c2e7d';

const scratchDirs: string[] = [];
afterAll(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A throw-away action written by the test: action.yml plus CommonJS entry points. */
function inlineAction(actionYml: string, scripts: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'testkit-action-')));
  scratchDirs.push(dir);
  writeFileSync(join(dir, 'action.yml'), actionYml);
  for (const [name, source] of Object.entries(scripts)) writeFileSync(join(dir, name), source);
  return dir;
}

const HANG = 'setInterval(() => {}, 1000); console.log("started");\n';

describe('runAction with the fixture action', () => {
  test('a successful main: outputs, state, env, summary, annotations; post-if failure() || cancelled() skips post', async () => {
    const run = await runAction({ actionDir: fixtureAction, inputs: { who: 'world' } });

    expect(run).toMatchObject({ exitCode: 0, signal: null, conclusion: 'success', timedOut: false });
    expect(run.outputs).toEqual({ greeting: 'Hello, world!', details: 'line one\nline two' });
    expect(run.state).toEqual({ who: 'world', secret: '' });
    expect(run.env).toEqual({ FIXTURE_GREETED: 'yes' });
    expect(run.summary).toBe('### Greeting\n\nHello, world! (token )\n');
    expect(run.annotations).toEqual([
      { level: 'notice', message: 'Said hello', properties: { title: 'Greeting' } },
      {
        level: 'warning',
        message: 'Second\nline, 100% sure',
        properties: { file: 'src/app.ts', line: '3', col: '7', title: 'Odd, but fine: really' },
      },
    ]);
    expect(run.log.split('\n').slice(0, 3)).toEqual(['::group::Greeting', 'Hello, world!', '::endgroup::']);
    expect(run.post).toBeUndefined();
  });

  test('a failing main: the error annotation, then post runs with the state and env main left', async () => {
    const run = await runAction({ actionDir: fixtureAction, inputs: { who: 'mars', mode: 'fail', greeting: 'Hi' } });

    expect(run).toMatchObject({ exitCode: 1, conclusion: 'failure' });
    expect(run.outputs.greeting).toBe('Hi, mars!');
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([
      { level: 'error', message: 'Could not greet mars', properties: {} },
    ]);
    expect(run.post).toMatchObject({ exitCode: 0, conclusion: 'success', summary: 'Post step ran.\n' });
    expect(run.post?.log).toBe(
      ['post: who=mars, cancelled=no', 'post: FIXTURE_GREETED=yes', 'post: secret from state , from input '].join('\n'),
    );
  });

  test('runPost: false leaves post out even when post-if holds', async () => {
    const run = await runAction({ actionDir: fixtureAction, inputs: { who: 'x', mode: 'fail' }, runPost: false });
    expect(run.conclusion).toBe('failure');
    expect(run.post).toBeUndefined();
  });

  test('SIGINT mid-run: main saves state and exits 1, post runs as cancelled and reads that state', async () => {
    const run = await runAction({
      actionDir: fixtureAction,
      inputs: { who: 'venus', mode: 'wait-for-cancel' },
      signalAfter: { whenLogMatches: /^waiting for cancellation$/ },
    });

    expect(run).toMatchObject({ exitCode: 1, signal: null, conclusion: 'cancelled' });
    expect(run.log.split('\n').slice(-2)).toEqual(['waiting for cancellation', 'received SIGINT, state saved']);
    expect(run.state).toEqual({ who: 'venus', secret: '', cancelled: 'true' });
    expect(run.post?.log.split('\n')[0]).toBe('post: who=venus, cancelled=true');
  });

  test('a value registered with ::add-mask:: never reaches log, post log, summary or annotations', async () => {
    const run = await runAction({
      actionDir: fixtureAction,
      inputs: { who: 'w', mode: 'fail', 'secret-token': SECRET },
    });

    expect(run.masks).toEqual([SECRET]);
    // rawLog proves the secret was printed, on stdout and on stderr, by main and by post.
    expect(run.rawLog).toContain(`the token is ${SECRET}`);
    expect(run.rawLog).toContain(`stderr also sees ${SECRET}`);
    expect(run.post?.rawLog).toContain(`from state ${SECRET}, from input ${SECRET}`);
    expect(run.log).toContain('::add-mask::***\nthe token is ***');
    expect(run.log).toContain('stderr also sees ***');
    expect(run.post?.log).toContain('post: secret from state ***, from input ***');
    const shown = [run.log, run.summary, JSON.stringify(run.annotations), run.post?.log, run.post?.summary];
    expect(shown.filter((text) => text?.includes(SECRET))).toEqual([]);
    expect(run.summary).toBe('### Greeting\n\nHello, w! (token ***)\n');
  });

  test('a ${{ github.token }} default is read from GITHUB_TOKEN', async () => {
    const withToken = await runAction({
      actionDir: fixtureAction,
      inputs: { who: 'a' },
      env: { GITHUB_TOKEN: 'ghs_1' },
    });
    const withoutToken = await runAction({ actionDir: fixtureAction, inputs: { who: 'a' } });
    expect(withToken.log).toContain('job token present: true');
    expect(withoutToken.log).toContain('job token present: false');
  });
});

describe('runAction runner environment', () => {
  const dumpEnv = inlineAction(
    `name: env dump
description: prints what the runner gave it
inputs:
  deploy-target:
    description: hyphenated
    default: staging
  wait for it:
    description: spaces
runs:
  using: node24
  main: main.js
  post: post.js
`,
    {
      'main.js': `const fs = require('fs');
const pick = (...names) => Object.fromEntries(names.map((n) => [n, process.env[n]]));
const env = pick('INPUT_DEPLOY-TARGET', 'INPUT_WAIT_FOR_IT', 'GITHUB_ACTIONS', 'CI', 'GITHUB_REPOSITORY', 'GITHUB_EVENT_NAME', 'GITHUB_RUN_ATTEMPT');
env.cwdIsWorkspace = process.cwd() === process.env.GITHUB_WORKSPACE;
env.event = JSON.parse(fs.readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8'));
env.dirsExist = ['RUNNER_TEMP', 'RUNNER_TOOL_CACHE', 'GITHUB_WORKSPACE'].every((v) => fs.statSync(process.env[v]).isDirectory());
fs.appendFileSync(process.env.GITHUB_OUTPUT, 'env=' + JSON.stringify(env) + '\\n');
fs.appendFileSync(process.env.GITHUB_PATH, '/opt/first\\n/opt/second\\n');
`,
      'post.js': `console.log('PATH starts ' + process.env.PATH.split(require('path').delimiter).slice(0, 2).join(','));`,
    },
  );

  test('INPUT_* names, context defaults and overrides, workspace as cwd, the event payload; post sees GITHUB_PATH', async () => {
    const run = await runAction({
      actionDir: dumpEnv,
      inputs: { 'wait for it': 'yes' },
      env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_NAME: 'issues' },
      event: { issue: { number: 7 } },
    });

    expect(JSON.parse(run.outputs.env)).toEqual({
      'INPUT_DEPLOY-TARGET': 'staging',
      INPUT_WAIT_FOR_IT: 'yes',
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: 'issues',
      GITHUB_RUN_ATTEMPT: '1',
      cwdIsWorkspace: true,
      event: { issue: { number: 7 } },
      dirsExist: true,
    });
    expect(run.path).toEqual(['/opt/first', '/opt/second']);
    // No post-if in action.yml: the runner's default always() runs post; later GITHUB_PATH entries come first.
    expect(run.post?.log).toBe('PATH starts /opt/second,/opt/first');
  });

  const stubborn = (ignored: string[]) =>
    inlineAction('name: stubborn\ndescription: ignores signals\nruns:\n  using: node24\n  main: main.js\n', {
      'main.js': `${ignored.map((s) => `process.on('${s}', () => console.log('ignoring ${s}'));`).join('\n')}\n${HANG}`,
    });

  describe("escalation (the harness's timers simulated, moved once the process said it ignored a signal)", () => {
    // Only the timers: the child process's I/O and the promise machinery stay real.
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    test.each([
      [[], 'SIGINT'],
      [['SIGINT'], 'SIGTERM'],
      [['SIGINT', 'SIGTERM'], 'SIGKILL'],
    ])('cancelling a process that ignores %j ends with %s, as the runner escalates', async (ignored, finalSignal) => {
      const run = await runAction({
        actionDir: stubborn(ignored),
        signalAfter: { whenLogMatches: /started/ },
        // The runner's waits: SIGTERM 7.5 s after SIGINT, SIGKILL 2.5 s after that.
        onLine: (line) => {
          if (line === 'ignoring SIGINT') jest.advanceTimersByTime(7_500);
          if (line === 'ignoring SIGTERM') jest.advanceTimersByTime(2_500);
        },
      });
      expect(run).toMatchObject({ exitCode: null, signal: finalSignal, conclusion: 'cancelled' });
      expect(run.log).toBe(['started', ...ignored.map((s) => `ignoring ${s}`)].join('\n'));
    });
  });

  test('signalAfter.ms cancels a step that prints nothing to match', async () => {
    const quiet = inlineAction('name: quiet\ndescription: q\nruns:\n  using: node24\n  main: main.js\n', {
      'main.js': 'setInterval(() => {}, 1000);\n',
    });
    const run = await runAction({ actionDir: quiet, signalAfter: { ms: 150, signal: 'SIGTERM' } });
    expect(run).toMatchObject({ signal: 'SIGTERM', conclusion: 'cancelled', timedOut: false });
    expect(run.durationMs).toBeGreaterThanOrEqual(150);
  });

  test('a step that outlives timeoutMs is stopped and concludes as a failure', async () => {
    const slow = inlineAction(
      'name: slow\ndescription: s\nruns:\n  using: node24\n  main: main.js\n  post: post.js\n  post-if: failure()\n',
      { 'main.js': HANG, 'post.js': 'console.log("cleanup after timeout");\n' },
    );
    // The post step gets the default time: how soon it starts on a loaded machine is not what is tested.
    const run = await runAction({ actionDir: slow, timeoutMs: 1500, postTimeoutMs: 20_000 });
    expect(run).toMatchObject({ signal: 'SIGINT', conclusion: 'failure', timedOut: true });
    expect(run.post?.log).toBe('cleanup after timeout');
  });
});
