// Writes the runner's file commands directly, the way @actions/core does, so the fixture needs no dependencies.
const fs = require('node:fs');
const crypto = require('node:crypto');

function input(name) {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

function appendFileCommand(variable, name, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  fs.appendFileSync(process.env[variable], `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

module.exports = { input, appendFileCommand };
