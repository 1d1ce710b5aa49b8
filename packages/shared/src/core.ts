/**
 * The part of @actions/core that Shipyard uses, with the same wire behaviour (workflow commands on stdout, file
 * commands in GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV, the same escaping) but without @actions/core's HTTP
 * client: bundling that pulls undici into every action and costs ~100 ms of start-up before the first input is read.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import { redactCredentials } from './redact';

export interface InputOptions {
  required?: boolean;
  trimWhitespace?: boolean;
}

/** Where an annotation points (same fields as @actions/core). */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

function toCommandValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function escapeData(value: unknown): string {
  return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: unknown): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Writes `::command key=value,…::message` as the runner expects it, credential shapes redacted (an annotation's
 * title and message, a group's name, a debug line). Only `add-mask` must carry the value itself.
 */
export function issueCommand(command: string, properties: Record<string, unknown>, message: unknown): void {
  const shown = (value: unknown) => (command === 'add-mask' ? value : redactCredentials(toCommandValue(value)));
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(shown(v))}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(shown(message))}${EOL}`);
}

/** Appends `name<<delimiter` / value / delimiter to a file command, or falls back to the legacy stdout command. */
function keyValueFileCommand(file: 'OUTPUT' | 'STATE' | 'ENV', legacy: string, name: string, value: unknown): void {
  const path = process.env[`GITHUB_${file}`];
  const converted = toCommandValue(value);
  if (!path) {
    issueCommand(legacy, { name }, converted);
    return;
  }
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || converted.includes(delimiter)) {
    throw new Error(`Unexpected input: name or value contains the delimiter "${delimiter}"`);
  }
  appendFileSync(path, `${name}<<${delimiter}${EOL}${converted}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** The value of an input (`INPUT_<NAME>`, spaces as `_`), trimmed unless asked not to. */
export function getInput(name: string, options: InputOptions = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
  if (options.required && !value) throw new Error(`Input required and not supplied: ${name}`);
  return options.trimWhitespace === false ? value : value.trim();
}

/** Outputs end up in other steps' logs: credential shapes are redacted here too. */
export function setOutput(name: string, value: unknown): void {
  keyValueFileCommand('OUTPUT', 'set-output', name, redactCredentials(toCommandValue(value)));
}

export function saveState(name: string, value: unknown): void {
  keyValueFileCommand('STATE', 'save-state', name, value);
}

/** What the main step saved with saveState, as the post step sees it. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function exportVariable(name: string, value: unknown): void {
  process.env[name] = toCommandValue(value);
  keyValueFileCommand('ENV', 'set-env', name, value);
}

/** Registers a value the runner masks as `***` in every later log line. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function info(message: string): void {
  process.stdout.write(redactCredentials(message) + EOL);
}

/**
 * Prints lines that come from elsewhere (a container's CloudWatch log, an explanation quoting one) between
 * stop-commands markers with a fresh token, so a line such as `::add-mask::` or `::error::` written by the app is
 * shown, never executed by the runner (which also executes indented commands).
 */
export function printUntrusted(lines: string[], write: (text: string) => void = (t) => void process.stdout.write(t)) {
  if (lines.length === 0) return;
  const token = randomUUID();
  const shown = lines.map((line) => `${redactCredentials(line)}${EOL}`).join('');
  write(`::stop-commands::${token}${EOL}${shown}::${token}::${EOL}`);
}

function annotation(level: 'error' | 'warning' | 'notice', message: string | Error, p: AnnotationProperties): void {
  const properties = {
    title: p.title,
    file: p.file,
    line: p.startLine,
    endLine: p.endLine,
    col: p.startColumn,
    endColumn: p.endColumn,
  };
  issueCommand(level, properties, message instanceof Error ? message.toString() : message);
}

export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  annotation('error', message, properties);
}

export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  annotation('warning', message, properties);
}

export function notice(message: string | Error, properties: AnnotationProperties = {}): void {
  annotation('notice', message, properties);
}

/** Marks the step failed (exit code 1 when the process ends) with an error annotation. */
export function setFailed(message: string | Error): void {
  process.exitCode = 1;
  error(message);
}

export function startGroup(name: string): void {
  issueCommand('group', {}, name);
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '');
}
