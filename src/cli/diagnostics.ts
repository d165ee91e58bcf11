/**
 * Everything ctq says to people goes through here, to stderr, one line per message. File names and
 * error texts can carry attacker-controlled bytes (event data, crafted file names): they are made
 * visible before they reach a terminal.
 */
import type { Writable } from 'node:stream';
import { formatOrigin, type Loss, type Origin } from '../sources/source-item';
import { terminalSafe } from '../output/terminal-safe';

/** Bad records are listed one by one up to this many; the rest are counted in the final note. */
const MAX_LISTED_BAD = 20;

/** What the bad input of a run cost, by kind (see `Loss`). */
interface LossTally {
  records: number;
  bytes: number;
  byteStretches: number;
  /** Inputs that could not be read to their end. */
  cutShort: Set<string>;
}

export class Diagnostics {
  private listedBad = 0;
  private unlistedBad = 0;
  private readonly lost: LossTally = { records: 0, bytes: 0, byteStretches: 0, cutShort: new Set() };
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

  badRecord(origin: Origin, message: string, loss: Loss = 'record'): void {
    if (loss === 'record') this.lost.records++;
    else if (loss === 'rest') this.lost.cutShort.add(origin.source);
    else if (loss !== 'none') {
      this.lost.bytes += loss.bytes;
      this.lost.byteStretches++;
    }
    if (this.listedBad >= MAX_LISTED_BAD) {
      this.unlistedBad++;
      return;
    }
    this.listedBad++;
    this.line(`ctq: ${formatOrigin(origin)}: ${message}`);
  }

  /**
   * The closing note for a run that skipped bad input: exactly what was skipped, and what the
   * reader established about the rest. Each bad record cost that record alone and each skipped
   * stretch its bytes (the splitter resumes after them), so "every other record was read" holds
   * unless an input could not be read to its end, and then the note says which.
   */
  summarizeBad(strict: boolean): void {
    const { records, bytes, byteStretches, cutShort } = this.lost;
    if (records === 0 && byteStretches === 0 && cutShort.size === 0) return;
    const more = this.unlistedBad > 0 ? ` (${this.unlistedBad} not listed above)` : '';
    if (strict) {
      this.line(`ctq: stopped: bad input under --strict${more}`);
      return;
    }
    const parts: string[] = [];
    if (records > 0) parts.push(plural(records, 'bad record'));
    if (byteStretches > 0) parts.push(`${plural(bytes, 'byte')} in which records cannot be told apart (${plural(byteStretches, 'place')})`);
    let rest: string;
    if (cutShort.size === 0) rest = byteStretches > 0 ? 'every record outside them was read' : 'every other record was read';
    else {
      const names = [...cutShort];
      const named = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
      rest = `${plural(names.length, 'input')} could not be read to the end (${named}); everything before that was read`;
    }
    const skipped = parts.length > 0 ? `skipped ${parts.join(' and ')}${more}; ` : more === '' ? '' : `${more.trim()}; `;
    this.line(`ctq: ${skipped}${rest} (use --strict to make this fatal)`);
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

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
