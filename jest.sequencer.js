// jest runs first the files it remembers as slow (its cache of durations). A fresh clone, as in CI, has no such
// memory: jest then orders by file size, which puts the slowest files, small ones that run the bundled actions or
// whole workflows and mostly wait, near the end, where they lengthen the run. Among the files jest has no duration
// for, those go first.
const Sequencer = require('@jest/test-sequencer').default;

const RUNS_ACTIONS = /\/(?:e2e-[^/]+|local-action|scenarios\/__tests__\/[^/]+|sweep\/__tests__\/[^/]+)\.test\.ts$/;

class SlowestFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const unknown = (test) => test.duration == null;
    const first = (test) => unknown(test) && RUNS_ACTIONS.test(test.path.split('\\').join('/'));
    return [...sorted.filter(first), ...sorted.filter((test) => !first(test))];
  }
}

module.exports = SlowestFirst;
