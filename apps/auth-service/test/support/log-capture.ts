import { Writable } from 'node:stream';

/**
 * Collects the service's log output: `stream` is handed to the library as its log
 * destination, so a test reads exactly the lines production would write.
 */
export class LogCapture {
  private readonly chunks: string[] = [];

  readonly stream = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      this.chunks.push(chunk.toString());
      done();
    },
  });

  get text(): string {
    return this.chunks.join('');
  }

  /** Parsed JSON log lines. */
  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** The secrets among `candidates` that appear anywhere in the captured output. */
  leaked(candidates: Iterable<string>): string[] {
    const text = this.text;
    return [...candidates].filter((secret) => secret.length >= 6 && text.includes(secret));
  }
}
