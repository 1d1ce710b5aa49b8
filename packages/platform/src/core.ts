/**
 * Shipyard's layer over @actions/core, the one module actions print through. Everything that reaches the log, an
 * annotation or an output has its credential shapes redacted first (redact.ts); lines that come from elsewhere go
 * through printUntrusted. The rest is @actions/core as it is.
 */
import { randomUUID } from 'node:crypto';
import * as actionsCore from '@actions/core';
import type { AnnotationProperties } from '@actions/core';
import { redactCredentials } from './redact';

export type { AnnotationProperties, InputOptions } from '@actions/core';
// The values themselves: the runner needs a secret to mask it, the post step its saved state, later steps a variable.
export { endGroup, exportVariable, getInput, getState, isDebug, saveState, setSecret, summary } from '@actions/core';

function shown(message: string | Error): string {
  return redactCredentials(message instanceof Error ? message.toString() : message);
}

function shownProperties(properties: AnnotationProperties = {}): AnnotationProperties {
  const shownProperties = { ...properties };
  if (properties.title !== undefined) shownProperties.title = redactCredentials(properties.title);
  if (properties.file !== undefined) shownProperties.file = redactCredentials(properties.file);
  return shownProperties;
}

export function info(message: string): void {
  actionsCore.info(redactCredentials(message));
}

export function debug(message: string): void {
  actionsCore.debug(redactCredentials(message));
}

export function notice(message: string | Error, properties?: AnnotationProperties): void {
  actionsCore.notice(shown(message), shownProperties(properties));
}

export function warning(message: string | Error, properties?: AnnotationProperties): void {
  actionsCore.warning(shown(message), shownProperties(properties));
}

export function error(message: string | Error, properties?: AnnotationProperties): void {
  actionsCore.error(shown(message), shownProperties(properties));
}

/** Marks the step failed (exit code 1 when the process ends) with an error annotation. */
export function setFailed(message: string | Error): void {
  actionsCore.setFailed(shown(message));
}

export function startGroup(name: string): void {
  actionsCore.startGroup(redactCredentials(name));
}

/** Outputs end up in other steps' logs: credential shapes are redacted here too. */
export function setOutput(name: string, value: unknown): void {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  actionsCore.setOutput(name, redactCredentials(text));
}

/**
 * Prints lines that come from elsewhere (a container's CloudWatch log, an explanation quoting one) between
 * stop-commands markers with a fresh token, so a line such as `::add-mask::` or `::error::` written by the app is
 * shown, never executed by the runner (which also executes indented commands).
 */
export function printUntrusted(lines: string[]): void {
  if (lines.length === 0) return;
  const token = randomUUID();
  actionsCore.info(`::stop-commands::${token}`);
  for (const line of lines) actionsCore.info(redactCredentials(line));
  actionsCore.info(`::${token}::`);
}
