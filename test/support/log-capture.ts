import { Writable } from 'node:stream';

/** Collects the JSON log lines an app writes, so tests can read what was logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  /** Parsed lines, skipping any that are not JSON. */
  records(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Every secret in `secrets` that appears in any captured line. */
  leaked(secrets: Iterable<string>): string[] {
    const all = this.lines.join('\n');
    return [...secrets].filter((secret) => secret.length >= 6 && all.includes(secret));
  }
}
