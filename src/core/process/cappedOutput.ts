/**
 * Collects a stream's bytes but keeps only the first and last part once it grows past the cap, so a
 * runaway command cannot exhaust memory, while the end (where errors and summaries usually are)
 * survives.
 */
export class CappedOutput {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const headRoom = Math.floor(this.maxBytes / 2) - this.headBytes;
    if (headRoom > 0) {
      const taken = chunk.subarray(0, headRoom);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    const tailCap = this.maxBytes - Math.floor(this.maxBytes / 2);
    const joined = Buffer.concat([this.tail, chunk]);
    this.tail = joined.length > tailCap ? joined.subarray(joined.length - tailCap) : joined;
  }

  /** Total bytes seen, including those dropped. */
  get totalBytes(): number {
    return this.total;
  }

  get truncated(): boolean {
    return this.total > this.headBytes + this.tail.length;
  }

  /** The kept text; a marker stands where bytes were dropped. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = this.tail.toString('utf8');
    if (!this.truncated) return head + tail;
    const dropped = this.total - this.headBytes - this.tail.length;
    return `${head}\n[… ${dropped} bytes omitted …]\n${tail}`;
  }
}
