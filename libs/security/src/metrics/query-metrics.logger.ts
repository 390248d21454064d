import type { Logger, QueryRunner } from 'typeorm';

import type { SecurityMetrics } from './security-metrics.service';

/** Options of {@link QueryMetricsLogger}. */
export interface QueryMetricsLoggerOptions {
  /** Receives every call too (the service's own TypeORM logging), slow queries filtered below. */
  inner?: Logger;
  /** Queries slower than this reach `inner.logQuerySlow`; default: none do. */
  slowQueryMs?: number;
}

interface PendingQuery {
  query: string;
  parameters: unknown;
  startedAt: bigint;
}

/**
 * `maxQueryExecutionTime` to pair with {@link QueryMetricsLogger}: TypeORM 1.1 tells a
 * logger that a query finished only through `logQuerySlow`, and only when its time exceeds
 * this value, so -1 makes it report every query.
 */
export const QUERY_METRICS_MAX_EXECUTION_TIME = -1;

const OPERATIONS = ['select', 'insert', 'update', 'delete'] as const;
const TRANSACTION_STATEMENT = /^(start|begin|commit|rollback|savepoint|release)\b/;

/** The `operation` label of a statement: a bounded set, never the SQL itself. */
export function queryOperation(query: string): string {
  const statement = query.trimStart().toLowerCase();
  const verb = OPERATIONS.find((operation) => statement.startsWith(operation));
  if (verb) return verb;
  if (statement.startsWith('with')) return 'with';
  return TRANSACTION_STATEMENT.test(statement) ? 'transaction' : 'other';
}

/**
 * TypeORM logger that times every query into `db_query_duration_seconds{operation}`. Use it
 * as the DataSource `logger` together with
 * `maxQueryExecutionTime: QUERY_METRICS_MAX_EXECUTION_TIME`; anything it receives is also
 * passed on to `inner`.
 *
 * The start of a query is its `logQuery` call, the end its `logQuerySlow` (success) or
 * `logQueryError` call, matched per query runner on the query text and parameter array,
 * timed with a monotonic clock. Without a query runner, TypeORM's millisecond time is used.
 *
 * @example
 * ```ts
 * TypeOrmModule.forRootAsync({
 *   inject: [SecurityMetrics],
 *   useFactory: (metrics: SecurityMetrics) => ({
 *     ...db,
 *     logger: new QueryMetricsLogger(metrics),
 *     maxQueryExecutionTime: QUERY_METRICS_MAX_EXECUTION_TIME,
 *   }),
 * })
 * ```
 */
export class QueryMetricsLogger implements Logger {
  private readonly pending = new WeakMap<QueryRunner, PendingQuery[]>();

  constructor(
    private readonly metrics: SecurityMetrics,
    private readonly options: QueryMetricsLoggerOptions = {},
  ) {}

  logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    if (queryRunner) {
      const queue = this.pending.get(queryRunner) ?? [];
      queue.push({ query, parameters, startedAt: process.hrtime.bigint() });
      this.pending.set(queryRunner, queue);
    }
    this.options.inner?.logQuery(query, parameters, queryRunner);
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[], queryRunner?: QueryRunner) {
    this.observe(query, parameters, queryRunner, time);
    const threshold = this.options.slowQueryMs;
    if (threshold !== undefined && time > threshold) {
      this.options.inner?.logQuerySlow(time, query, parameters, queryRunner);
    }
  }

  logQueryError(
    error: string | Error,
    query: string,
    parameters?: unknown[],
    runner?: QueryRunner,
  ) {
    this.observe(query, parameters, runner);
    this.options.inner?.logQueryError(error, query, parameters, runner);
  }

  logSchemaBuild(message: string, queryRunner?: QueryRunner): void {
    this.options.inner?.logSchemaBuild(message, queryRunner);
  }

  logMigration(message: string, queryRunner?: QueryRunner): void {
    this.options.inner?.logMigration(message, queryRunner);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown, queryRunner?: QueryRunner): void {
    this.options.inner?.log(level, message, queryRunner);
  }

  private observe(query: string, parameters: unknown, runner?: QueryRunner, fallbackMs?: number) {
    const started = runner ? this.takePending(runner, query, parameters) : undefined;
    const seconds = started
      ? Number(process.hrtime.bigint() - started.startedAt) / 1e9
      : (fallbackMs ?? 0) / 1000;
    this.metrics.dbQuery(queryOperation(query), seconds);
  }

  // A runner can have several queries in flight (Promise.all on one transaction); the one
  // that ended is the one with the same text and the same parameter array.
  private takePending(runner: QueryRunner, query: string, parameters: unknown) {
    const queue = this.pending.get(runner);
    if (!queue || queue.length === 0) return undefined;
    const index = queue.findIndex((item) => item.query === query && item.parameters === parameters);
    return queue.splice(index === -1 ? 0 : index, 1)[0];
  }
}
