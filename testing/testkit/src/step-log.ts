/**
 * What the runner does with each line a step prints: processes workflow commands (masks, annotations,
 * stop-commands) and appends the line to the log with every mask registered so far applied. Command lines are kept
 * in the log as printed (masked), so tests can see where groups open and close; an add-mask line shows as the
 * runner echoes it, `::add-mask::***`.
 */
import { parseWorkflowCommand } from './workflow-commands';
import type { SecretMasker } from './secret-masker';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  /** Masked, as the runner masks issue messages. */
  message: string;
  /** file, line, col, endLine, endColumn, title, … unescaped. */
  properties: Record<string, string>;
}

const ANNOTATION_LEVELS = new Set<string>(['error', 'warning', 'notice']);

export class StepLog {
  readonly annotations: Annotation[] = [];
  /** Values this step registered with ::add-mask:: (the masker itself is shared by the whole job). */
  readonly masks: string[] = [];
  private readonly lines: string[] = [];
  private readonly rawLines: string[] = [];
  private stopToken: string | undefined;

  constructor(private readonly masker: SecretMasker) {}

  /** Handles one complete line (without its line break). */
  write(line: string): void {
    const shown = this.processCommand(line) ?? line;
    this.rawLines.push(line);
    this.lines.push(this.masker.mask(shown));
  }

  /** The log as the runner shows it. */
  get log(): string {
    return this.lines.join('\n');
  }

  /** The log before masking: only for asserting that a masked value really was printed. */
  get rawLog(): string {
    return this.rawLines.join('\n');
  }

  /** Returns what the log shows instead of the line, when that differs. */
  private processCommand(line: string): string | undefined {
    const command = parseWorkflowCommand(line, new Set(this.stopToken ? [this.stopToken.toLowerCase()] : []));
    if (!command) return undefined;
    if (this.stopToken !== undefined) {
      if (command.command === this.stopToken.toLowerCase()) this.stopToken = undefined;
      return undefined;
    }
    if (command.command === 'stop-commands') {
      this.stopToken = command.data;
    } else if (command.command === 'add-mask') {
      // The runner ignores (with a warning) a blank mask; it would otherwise mask every space.
      if (command.data.trim() === '') return undefined;
      this.masker.add(command.data);
      if (!this.masks.includes(command.data)) this.masks.push(command.data);
      // The runner's echo of this command; the escaped value as printed (%25 …) would not match the mask.
      return '::add-mask::***';
    } else if (ANNOTATION_LEVELS.has(command.command)) {
      this.annotations.push({
        level: command.command as AnnotationLevel,
        message: this.masker.mask(command.data),
        properties: command.properties,
      });
    }
    return undefined;
  }
}
