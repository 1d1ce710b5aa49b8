import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './workflow-files';

// Every action names itself, its inputs and its outputs in one style (src/constants.ts: ACTION, Input, Output,
// State, each `as const`), and those names are exactly action.yml's: an input renamed in one place only fails here.

const ACTIONS = readdirSync(join(ROOT, 'actions')).filter((name) =>
  readdirSync(join(ROOT, 'actions', name)).includes('action.yml'),
);

describe.each(ACTIONS)('actions/%s/src/constants.ts', (name) => {
  const constants = require(join(ROOT, 'actions', name, 'src', 'constants.ts')) as Record<string, unknown>;
  const metadata = parse(readFileSync(join(ROOT, 'actions', name, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
  };
  const values = (table: unknown) => Object.values(table as Record<string, string>).sort();

  test('ACTION is the action name', () => {
    expect(constants.ACTION).toBe(name);
  });

  test('Input and Output list exactly the inputs and outputs of action.yml', () => {
    expect(values(constants.Input)).toEqual(Object.keys(metadata.inputs ?? {}).sort());
    expect(values(constants.Output)).toEqual(Object.keys(metadata.outputs ?? {}).sort());
  });

  test('one style: `export const X = { … } as const`, no enum, no other spelling of the tables', () => {
    const source = readFileSync(join(ROOT, 'actions', name, 'src', 'constants.ts'), 'utf8');
    expect(source).not.toMatch(/\benum\b/);
    expect(source).toMatch(/^export const Input = \{$/m);
    expect(source).toMatch(/^export const Output = \{$/m);
    const tables = [...source.matchAll(/^export const (\w+) = \{$/gm)].map((match) => match[1]);
    expect(tables.filter((table) => ['Inputs', 'Outputs', 'States'].includes(table))).toEqual([]);
    expect(Object.keys(constants)).not.toContain('ACTION_NAME');
  });
});
