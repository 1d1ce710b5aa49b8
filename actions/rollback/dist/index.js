// The main step (scripts/bundle-lib.mjs): its code is in steps.js and the chunks it loads.
require('./steps.js').main();
