/**
 * The runner's two channels from an action back to the job: `::command key=value::data` lines on stdout/stderr
 * (ported from actions/runner ActionCommand.TryParseV2) and the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV files
 * (FileCommandManager's `name=value` and `name<<DELIMITER` heredoc forms).
 */

/** The commands the runner recognises; any other `::word::` line is plain output. */
const REGISTERED_COMMANDS = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]);

export interface WorkflowCommand {
  /** Lower-cased: the runner matches command names case-insensitively. */
  command: string;
  properties: Record<string, string>;
  data: string;
}

/** Replacements are applied in this order, `%25` last, exactly as the runner does. */
const DATA_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];
const PROPERTY_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];

function unescape(escaped: string, mappings: [string, string][]): string {
  return mappings.reduce((text, [from, to]) => text.split(from).join(to), escaped);
}

export const unescapeData = (escaped: string): string => unescape(escaped, DATA_ESCAPES);
export const unescapeProperty = (escaped: string): string => unescape(escaped, PROPERTY_ESCAPES);

/** Parses one log line; undefined when the runner would treat it as plain output. */
export function parseWorkflowCommand(
  line: string,
  extraCommands: ReadonlySet<string> = new Set(),
): WorkflowCommand | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!REGISTERED_COMMANDS.has(command) && !extraCommands.has(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const property of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const equals = property.indexOf('=');
      // The runner drops pairs with an empty key or value (String.Split with RemoveEmptyEntries).
      if (equals <= 0 || equals === property.length - 1) continue;
      properties[property.slice(0, equals)] = unescapeProperty(property.slice(equals + 1));
    }
  }
  return { command, properties, data: unescapeData(message.slice(end + 2)) };
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file. Throws with the runner's wording on a malformed line,
 * since the runner fails the step in that case.
 */
export function parseFileCommand(content: string, fileName = 'file command'): Record<string, string> {
  const lines = content.split(/\r?\n/);
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') throw new Error(`Invalid format '${line}' in ${fileName}: name must not be empty`);
      values[name] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '') throw new Error(`Invalid format '${line}' in ${fileName}`);
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`Matching delimiter not found '${delimiter}' in ${fileName}`);
      values[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      throw new Error(`Invalid format '${line}' in ${fileName}`);
    }
  }
  return values;
}
