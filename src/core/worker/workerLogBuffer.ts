/**
 * The last lines of one worker's log, kept in memory so a panel or a test can read what the terminal
 * showed. Bounded because a long run streams far more text than anyone scrolls back through.
 */
export class WorkerLogBuffer {
  private readonly lines: string[] = [];
  private dropped = 0;

  constructor(readonly maxLines = 2_000) {
    if (!Number.isInteger(maxLines) || maxLines < 1) throw new RangeError(`maxLines must be a positive integer, got ${maxLines}`);
  }

  push(line: string): void {
    this.lines.push(line);
    // Trim in batches: an array shift per line would make a long run quadratic.
    if (this.lines.length >= this.maxLines * 2) this.trim();
  }

  /** How many lines fell off the front. */
  get droppedLines(): number {
    this.trim();
    return this.dropped;
  }

  /** The kept lines, oldest first, joined with \n; a first line says how many were dropped. */
  text(): string {
    this.trim();
    const kept = this.lines.join('\n');
    return this.dropped > 0 ? `… ${this.dropped} earlier line${this.dropped === 1 ? '' : 's'} not kept\n${kept}` : kept;
  }

  private trim(): void {
    const excess = this.lines.length - this.maxLines;
    if (excess <= 0) return;
    this.lines.splice(0, excess);
    this.dropped += excess;
  }
}
