// Import-cycle check, run by `npm test`: fails when the repository's TypeScript sources (every file tsconfig.json
// includes) import each other in a circle. Every import counts, `import type` and dynamic `import()` too: a circle
// of types still ties two modules into one. Specifiers resolve as the compiler resolves them (workspace packages
// through their package.json exports), so `@shipyard/x/y` is the file it names. Prints one path per circle.
// Usage: node scripts/check-import-cycles.mjs [--project <tsconfig.json>]
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({ options: { project: { type: 'string' } } });
const project = resolve(options.project ?? join(root, 'tsconfig.json'));

function readProject(file) {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    file,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: fail },
  );
  if (parsed.errors.length) fail(parsed.errors[0]);
  return parsed;
}

function fail(diagnostic) {
  console.error(`✘ ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  process.exit(2);
}

/** Every module specifier a file names: imports, re-exports, `import x = require()`, `require()` and `import()`. */
function specifiers(sourceFile) {
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      if (ts.isStringLiteral(node.argument.literal)) found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** The project's import graph: file → the project files it imports (node_modules and unresolved names left out). */
export function importGraph({ fileNames, options: compilerOptions }) {
  const files = new Set(fileNames.map((f) => resolve(f)));
  const cache = ts.createModuleResolutionCache(root, (f) => f, compilerOptions);
  const graph = new Map();
  for (const file of files) {
    const sourceFile = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true);
    const targets = new Set();
    for (const specifier of specifiers(sourceFile)) {
      const { resolvedModule } = ts.resolveModuleName(specifier, file, compilerOptions, ts.sys, cache);
      // Workspace packages count as external libraries (reached through node_modules): kept when they are ours.
      if (!resolvedModule) continue;
      const target = resolve(
        ts.sys.realpath ? ts.sys.realpath(resolvedModule.resolvedFileName) : resolvedModule.resolvedFileName,
      );
      if (files.has(target)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** The circles: strongly connected components of more than one file, or a file importing itself (Tarjan). */
export function findCycles(graph) {
  let index = 0;
  const indices = new Map();
  const lowLinks = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const connect = (node) => {
    indices.set(node, index);
    lowLinks.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        connect(next);
        lowLinks.set(node, Math.min(lowLinks.get(node), lowLinks.get(next)));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node), indices.get(next)));
      }
    }
    if (lowLinks.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) connect(node);
  return components.map((component) => shortestCircle(graph, component));
}

/** One circle through a component, shortest from its first file (breadth-first), for the message. */
function shortestCircle(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift();
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]));
        return { files: component, circle: [...path, start] };
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return { files: component, circle: [start, start] };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const parsed = readProject(project);
  const graph = importGraph(parsed);
  const cycles = findCycles(graph);
  const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
  const show = (file) => relative(dirname(project), file);
  for (const { files, circle } of cycles) {
    console.error(`✘ import circle (${files.length} files): ${circle.map(show).join(' → ')}`);
  }
  console.log(
    `${cycles.length ? '✘' : '✔'} ${cycles.length} import circle(s) among ${graph.size} TypeScript files (${edges} imports)`,
  );
  process.exit(cycles.length ? 1 : 0);
}
