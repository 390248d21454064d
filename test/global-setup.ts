import { randomBytes } from 'node:crypto';

/**
 * Gives every `npm test` run its own id, so databases and Redis keys of concurrent runs
 * never meet. Jest copies this into each worker through the environment.
 */
export default function globalSetup(): void {
  process.env.TEST_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.ENVIRONMENT ??= 'test';
}
