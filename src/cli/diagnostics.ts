/**
 * Everything ctq says to people goes through here, to stderr, one line per message. File names and
 * error texts can carry attacker-controlled bytes (event data, crafted file names): they are made
 * visible before they reach a terminal.
 */
import type { Writable } from 'node:stream';
import { formatOrigin, type Origin } from '../sources/source-item';
import { terminalSafe } from '../output/terminal-safe';

/** Bad records are listed one by one up to this many; the rest are counted in the final note. */
const MAX_LISTED_BAD = 20;

export class Diagnostics {
  private listedBad = 0;
  private unlistedBad = 0;
  private readonly warned = new Set<string>();
  /** Set while a progress line is on screen, to erase it before a message is written over it. */
  private eraseProgress: (() => void) | null = null;

  constructor(private readonly stderr: Writable) {}

  error(message: string): void {
    this.line(`ctq: error: ${message}`);
  }

  warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.line(`ctq: warning: ${message}`);
  }

  note(message: string): void {
    this.line(`ctq: ${message}`);
  }

  badRecord(origin: Origin, message: string): void {
    if (this.listedBad >= MAX_LISTED_BAD) {
      this.unlistedBad++;
      return;
    }
    this.listedBad++;
    this.line(`ctq: ${formatOrigin(origin)}: ${message}`);
  }

  /** The closing note for a run that skipped bad records. */
  summarizeBad(total: number, strict: boolean): void {
    if (total === 0) return;
    const more = this.unlistedBad > 0 ? ` (${this.unlistedBad} not listed above)` : '';
    this.line(
      strict
        ? `ctq: stopped: bad input under --strict${more}`
        : `ctq: skipped ${total} bad record${total === 1 ? '' : 's'}${more}; every other event was read (use --strict to make this fatal)`,
    );
  }

  /** Multi-line blocks (an expression with its caret) are written as they are, each line made safe. */
  block(text: string): void {
    for (const line of text.split('\n')) this.line(line);
  }

  /**
   * A block whose every piece of input was escaped where it was rendered (an expression error: its
   * caret is placed by the escaped text's width, which escaping it again here would undo).
   */
  safeBlock(text: string): void {
    this.eraseProgress?.();
    this.stderr.write(text + '\n');
  }

  raw(text: string): void {
    this.eraseProgress?.();
    this.stderr.write(text);
  }

  setProgressEraser(erase: (() => void) | null): void {
    this.eraseProgress = erase;
  }

  private line(text: string): void {
    this.eraseProgress?.();
    this.stderr.write(terminalSafe(text) + '\n');
  }
}
