import { randomBytes } from 'node:crypto';

/** The id of this test run, shared by all workers of one `npm test`. */
export function testRunId(): string {
  process.env.TEST_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return process.env.TEST_RUN_ID;
}

/** A name unique to this run and call, safe as a database name or Redis key part. */
export function uniqueName(label: string): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 20);
  return `t_${testRunId()}_${clean}_${randomBytes(3).toString('hex')}`;
}
