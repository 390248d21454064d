const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, connection failures,
  // too many connections, database does not allow connections.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
  '53300',
  '55000',
]);

const CONNECTION_ERROR_MESSAGES = [
  /connection is closed/i,
  /connection terminated/i,
  /stream isn't writeable/i,
  /command timed out/i,
  /reached the max retries/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /is not currently accepting connections/i,
  /redis (connection|client) unavailable/i,
];

/**
 * Whether an error means a dependency (Postgres, Redis) is unreachable rather than that
 * the request was wrong: such errors answer 503 and the service recovers on its own.
 */
export function isDependencyError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    if (typeof current !== 'object') return false;
    const candidate = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof candidate.code === 'string' && CONNECTION_ERROR_CODES.has(candidate.code))
      return true;
    if (candidate.name === 'MaxRetriesPerRequestError') return true;
    if (typeof candidate.message === 'string') {
      const message = candidate.message;
      if (CONNECTION_ERROR_MESSAGES.some((pattern) => pattern.test(message))) return true;
    }
    current =
      (current as { driverError?: unknown; cause?: unknown }).driverError ??
      (current as { cause?: unknown }).cause;
  }
  return false;
}
