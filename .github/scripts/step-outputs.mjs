// Step outputs for the scripts the reusable workflows run (workflow commands reference: $GITHUB_OUTPUT).
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/** `name=value`, or the heredoc form for values with line breaks. */
export function formatOutputs(outputs) {
  return Object.entries(outputs)
    .map(([name, value]) => {
      if (!value.includes('\n')) return `${name}=${value}\n`;
      const delimiter = `SHIPYARD_${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}

/** Appends the outputs to $GITHUB_OUTPUT and echoes them, so the log shows what the later jobs receive. */
export function writeOutputs(outputs) {
  if (!process.env.GITHUB_OUTPUT) throw new Error('GITHUB_OUTPUT is not set: run this inside a workflow step.');
  appendFileSync(process.env.GITHUB_OUTPUT, formatOutputs(outputs));
  for (const [name, value] of Object.entries(outputs)) console.log(`${name}: ${value.replaceAll('\n', ', ')}`);
}
