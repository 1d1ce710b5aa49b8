// Post step of the fixture: reads the state main saved and the env it exported, and prints the secret again.
const fs = require('node:fs');
const { input } = require('./common');

console.log(`post: who=${process.env.STATE_who}, cancelled=${process.env.STATE_cancelled || 'no'}`);
console.log(`post: FIXTURE_GREETED=${process.env.FIXTURE_GREETED}`);
console.log(`post: secret from state ${process.env.STATE_secret}, from input ${input('secret-token')}`);
fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, 'Post step ran.\n');
