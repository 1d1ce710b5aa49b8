import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SOURCE,
  MODELS_DIR,
  readTrimmedModel,
  shapeClosure,
  TRIMMED_SERVICES,
  trimmedText,
} from '../../../scripts/aws-models';
import { TABLE_FILE, taskDefinitionTable } from '../../../scripts/task-definition-table';

const services = Object.keys(TRIMMED_SERVICES);

test('the committed task-definition table is what scripts/task-definition-table.ts writes (run it if not)', () => {
  expect(readFileSync(TABLE_FILE, 'utf8')).toBe(taskDefinitionTable(readTrimmedModel('ecs')));
});

test.each(services)('aws-models/%s.json is whole: every shape it names is in it', (service) => {
  const model = readTrimmedModel(service);
  const roots = Object.values(model.operations).flatMap((o) => [o.input, o.output].filter((s) => s !== undefined));
  expect(shapeClosure(model.shapes, roots).filter((name) => !model.shapes[name])).toEqual([]);
  expect(model.commit).toMatch(/^[0-9a-f]{7,40}$/);
  expect(existsSync(join(MODELS_DIR, 'LICENSE.txt')) && existsSync(join(MODELS_DIR, 'NOTICE'))).toBe(true);
});

// The full models are not part of the repository; where they are at hand, the trimmed copies must match them.
const fullModels = existsSync(join(DEFAULT_SOURCE, 'ecs', 'service-2.json'));
(fullModels ? test.each(services) : test.skip.each(services))(
  'aws-models/%s.json is the trim of ../shared/aws-models (run scripts/aws-models.ts if not)',
  (service) => {
    expect(readFileSync(join(MODELS_DIR, `${service}.json`), 'utf8')).toBe(trimmedText(DEFAULT_SOURCE, service));
  },
);
