// Checks the inputs of the reusable deploy.yml and pr-checks.yml once, in their first job, and turns them into the
// step outputs the other jobs read: matrices, per-environment values, paths inside the `app/` checkout. It runs on
// the runner's own Node before any AWS call, so a mistake costs seconds, not a half-finished deploy.
// Inputs arrive as environment variables (never spliced into a script); outputs go to $GITHUB_OUTPUT.
// Usage: node .github/scripts/workflow-inputs.mjs   (see docs/reusable-workflows.md for the variables)
import { createHash } from 'node:crypto';
import { writeOutputs } from './step-outputs.mjs';

const KNOWN_ENVIRONMENTS = ['staging', 'production'];
/** Jobs that run Shipyard actions check Shipyard out at the workspace root and the application here. */
const APP_DIR = 'app';
const MAX_IMAGES = 20;
// ECS container names: up to 255 letters, digits, hyphens and underscores.
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
// ECR and the distribution spec both want lower-case path components joined by separators.
const REPOSITORY_NAME = /^[a-z0-9]+(?:[._/-]+[a-z0-9]+)*$/;
const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;

class InputError extends Error {}

const quote = (value) => JSON.stringify(value);

/** Comma- or newline-separated values, blanks dropped (the same rule as the actions' list inputs). */
function list(raw) {
  return (raw ?? '')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseEnvironments(raw) {
  const chosen = list(raw).map((name) => name.toLowerCase());
  if (chosen.length === 0) {
    throw new InputError(`"environments" must name staging, production or both, got ${quote(raw ?? '')}.`);
  }
  for (const name of chosen) {
    if (!KNOWN_ENVIRONMENTS.includes(name)) {
      throw new InputError(`"environments" lists ${quote(name)}; it may list ${KNOWN_ENVIRONMENTS.join(' and ')}.`);
    }
  }
  return KNOWN_ENVIRONMENTS.filter((name) => chosen.includes(name));
}

/** A path inside the application checkout: relative and never climbing out of it. */
function appPath(input, value) {
  if (value.startsWith('/') || value.split('/').includes('..')) {
    throw new InputError(`${input} must be a path inside your repository, got ${quote(value)}.`);
  }
  const trimmed = value.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  return trimmed === '' || trimmed === '.' ? APP_DIR : `${APP_DIR}/${trimmed}`;
}

function optionalString(entry, field, index) {
  const value = entry[field];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new InputError(`"images"[${index}].${field} must be a string.`);
  return value.trim();
}

function parseImages(raw, artifactPrefix) {
  let images;
  try {
    images = JSON.parse(raw ?? '');
  } catch {
    throw new InputError(
      `"images" must be a JSON list such as [{"container": "web", "repository": "my-app"}], got ${quote(raw ?? '')}.`,
    );
  }
  if (!Array.isArray(images) || images.length === 0 || images.length > MAX_IMAGES) {
    throw new InputError(`"images" must be a JSON list of 1 to ${MAX_IMAGES} images.`);
  }
  const seen = new Set();
  return images.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InputError(`"images"[${index}] must be an object with "container" and "repository".`);
    }
    const container = optionalString(entry, 'container', index);
    const repository = optionalString(entry, 'repository', index);
    if (!CONTAINER_NAME.test(container)) {
      throw new InputError(
        `"images"[${index}].container must be the ECS container name (letters, digits, - and _), got ${quote(container)}.`,
      );
    }
    if (!REPOSITORY_NAME.test(repository)) {
      throw new InputError(
        `"images"[${index}].repository must be a lower-case repository name without the registry host, got ` +
          `${quote(repository)}.`,
      );
    }
    if (seen.has(container)) throw new InputError(`"images" lists the container ${quote(container)} twice.`);
    seen.add(container);
    const file = optionalString(entry, 'file', index);
    return {
      container,
      repository,
      context: appPath(`"images"[${index}].context`, optionalString(entry, 'context', index) || '.'),
      file: file && appPath(`"images"[${index}].file`, file),
      target: optionalString(entry, 'target', index),
      artifact: `${artifactPrefix}${container}`,
    };
  });
}

function parseMigrationCommand(raw) {
  const value = (raw ?? '').trim();
  if (value === '') return '';
  let command;
  try {
    command = JSON.parse(value);
  } catch {
    command = undefined;
  }
  if (!Array.isArray(command) || command.length === 0 || command.some((item) => typeof item !== 'string')) {
    throw new InputError(
      `"migration-command" must be a JSON list of strings such as ["npm","run","db:push"], got ${quote(value)}.`,
    );
  }
  return JSON.stringify(command);
}

/** What one environment deploys; every value required once the environment is selected. */
function parseTarget(environment, env) {
  const prefix = environment.toUpperCase();
  const cluster = (env[`${prefix}_CLUSTER`] ?? '').trim();
  const services = list(env[`${prefix}_SERVICES`]);
  const taskDefinition = (env[`${prefix}_TASK_DEFINITION`] ?? '').trim();
  const missing = [
    ['cluster', cluster !== ''],
    ['services', services.length > 0],
    ['task-definition', taskDefinition !== ''],
  ].find(([, given]) => !given);
  if (missing) {
    throw new InputError(`"${environment}-${missing[0]}" is required because "environments" includes ${environment}.`);
  }
  return {
    environment,
    cluster,
    services: services.join('\n'),
    // `current`: each service's own task definition; anything else is a file in the application checkout.
    'task-definition':
      taskDefinition === 'current' ? 'current' : appPath(`"${environment}-task-definition"`, taskDefinition),
    // Migrations run in the new task definition of the first service listed, with its network configuration.
    'migration-service': services[0],
  };
}

function migrationContainer(raw, images, migrating) {
  const value = (raw ?? '').trim();
  if (value !== '' || !migrating) return value;
  if (images.length === 1) return images[0].container;
  throw new InputError(
    `"migration-container" is required with "migration-command" when "images" lists ${images.length} containers.`,
  );
}

/** Every output the workflows read, from the environment variables the first job passes in. */
function plan(env) {
  const environments = parseEnvironments(env.ENVIRONMENTS);
  // Unique per set of images, so two calls of deploy.yml in one run never pick up each other's artifacts.
  const artifactPrefix = `shipyard-${createHash('sha256')
    .update(env.IMAGES ?? '')
    .digest('hex')
    .slice(0, 12)}-`;
  const images = parseImages(env.IMAGES, artifactPrefix);
  const migrationCommand = parseMigrationCommand(env.MIGRATION_COMMAND);
  const targets = environments.map((environment) => parseTarget(environment, env));
  const registry = (env.REGISTRY ?? '').trim();
  const sha = env.GITHUB_SHA ?? '';
  const outputs = {
    staging: String(environments.includes('staging')),
    production: String(environments.includes('production')),
    targets: JSON.stringify(targets),
    images: JSON.stringify(images),
    'artifact-prefix': artifactPrefix,
    ecr: String(registry === '' || ECR_HOST.test(registry.toLowerCase())),
    'migration-command': migrationCommand,
    'migration-container': migrationContainer(env.MIGRATION_CONTAINER, images, migrationCommand !== ''),
    // What the plan renders in place of images that are only built on merge.
    'plan-images': images.map((image) => `${image.container}=${image.repository}:${sha || 'pull-request'}`).join('\n'),
  };
  for (const target of targets) {
    outputs[`${target.environment}-task-definition`] = target['task-definition'];
    outputs[`${target.environment}-migration-service`] = target['migration-service'];
  }
  return outputs;
}

function main() {
  try {
    writeOutputs(plan(process.env));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.log(`::error title=Shipyard inputs::${error.message}`);
    process.exitCode = 1;
  }
}

main();
