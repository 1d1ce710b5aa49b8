#!/usr/bin/env node
// aws-sim CLI: serves the simulated AWS endpoint until SIGINT/SIGTERM and prints the environment to use it.
//   npx aws-sim [--port 4566] [--host 127.0.0.1] [--seed seed.json] [--scenarios scenarios.json] [--time-scale 60]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const USAGE =
  'usage: aws-sim [--port 4566] [--host 127.0.0.1] [--seed file.json] [--scenarios file.json] [--time-scale N]';

function options() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '4566' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
        scenarios: { type: 'string' },
        'time-scale': { type: 'string', default: '1' },
        help: { type: 'boolean', default: false },
      },
    });
    return values;
  } catch (error) {
    console.error(`aws-sim: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

const args = options();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(args.port);
const timeScale = Number(args['time-scale']);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`aws-sim: --port must be an integer 0-65535, got "${args.port}"`);
  process.exit(2);
}
if (!(timeScale > 0)) {
  console.error(`aws-sim: --time-scale must be a number > 0, got "${args['time-scale']}"`);
  process.exit(2);
}

function readJson(path, what) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    console.error(`aws-sim: cannot read ${what} file ${path}: ${error.message}`);
    process.exit(2);
  }
}

const seed = args.seed ? readJson(args.seed, 'seed') : undefined;
const scenarioDoc = args.scenarios ? readJson(args.scenarios, 'scenarios') : undefined;
const scenarios = Array.isArray(scenarioDoc) ? scenarioDoc : scenarioDoc?.scenarios;

const { startSim } = await tsImport('../src/server.ts', import.meta.url);
let sim;
try {
  sim = await startSim({ port, host: args.host, timeScale, seed, scenarios });
} catch (error) {
  console.error(`aws-sim: cannot start: ${error.message}`);
  process.exit(1);
}

for (const [key, value] of Object.entries(sim.env)) console.log(`export ${key}=${value}`);
console.log(
  `# aws-sim listening on ${sim.endpoint} (time scale ${timeScale}); control: ${sim.endpoint}/_sim/; Ctrl-C to stop`,
);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await sim.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
