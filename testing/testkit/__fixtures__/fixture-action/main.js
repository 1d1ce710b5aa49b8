// Main step of the fixture: outputs, state, env, summary, a mask, annotations, and cancellation handling.
const fs = require('node:fs');
const { input, appendFileCommand } = require('./common');

const who = input('who');
const greeting = input('greeting');
const secret = input('secret-token');
const mode = input('mode');

console.log('::group::Greeting');
console.log(`${greeting}, ${who}!`);
console.log('::endgroup::');

if (secret) {
  console.log(`::add-mask::${secret}`);
  console.log(`the token is ${secret}`);
  console.error(`stderr also sees ${secret}`);
}
console.log(`job token present: ${input('token') !== ''}`);

fs.appendFileSync(process.env.GITHUB_OUTPUT, `greeting=${greeting}, ${who}!\n`);
appendFileCommand('GITHUB_OUTPUT', 'details', `line one\nline two`);
fs.appendFileSync(process.env.GITHUB_STATE, `who=${who}\n`);
appendFileCommand('GITHUB_STATE', 'secret', secret);
fs.appendFileSync(process.env.GITHUB_ENV, 'FIXTURE_GREETED=yes\n');
fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `### Greeting\n\n${greeting}, ${who}! (token ${secret})\n`);

console.log('::notice title=Greeting::Said hello');
console.log('::warning file=src/app.ts,line=3,col=7,title=Odd%2C but fine%3A really::Second%0Aline, 100%25 sure');

if (mode === 'fail') {
  console.log(`::error::Could not greet ${who}`);
  process.exitCode = 1;
} else if (mode === 'wait-for-cancel') {
  // Keeps the event loop alive until the runner cancels the step.
  const keepAlive = setInterval(() => {}, 1000);
  process.on('SIGINT', () => {
    clearInterval(keepAlive);
    fs.appendFileSync(process.env.GITHUB_STATE, 'cancelled=true\n');
    console.log('received SIGINT, state saved');
    process.exit(1);
  });
  console.log('waiting for cancellation');
}
