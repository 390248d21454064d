import { Counter, Histogram, Registry } from 'prom-client';
import { DataSource, type Logger } from 'typeorm';

import { DB_QUERY_DURATION_SECONDS } from '../src/metrics/metric-names.constants';
import {
  QUERY_METRICS_MAX_EXECUTION_TIME,
  QueryMetricsLogger,
  queryOperation,
} from '../src/metrics/query-metrics.logger';
import { SecurityMetrics } from '../src/metrics/security-metrics.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres';

function metricsIn(registry: Registry): SecurityMetrics {
  const counter = (name: string, labelNames: string[]) =>
    new Counter({ name, help: name, labelNames, registers: [registry] });
  const histogram = (name: string, labelNames: string[]) =>
    new Histogram({ name, help: name, labelNames, registers: [registry] });
  return new SecurityMetrics(
    counter('auth_attempts_total', ['status']),
    counter('rate_limit_violations_total', ['endpoint', 'policy']),
    counter('rate_limit_store_errors_total', ['policy', 'fail_mode']),
    counter('token_validations_total', ['result']),
    counter('suspicious_activity_total', ['type']),
    counter('security_events_total', ['event_type']),
    histogram('http_request_duration_seconds', ['method', 'route', 'status_code']),
    histogram('outbound_request_duration_seconds', ['target', 'method', 'status_code']),
    histogram(DB_QUERY_DURATION_SECONDS, ['operation']),
  );
}

class RecordingLogger implements Logger {
  readonly calls: string[] = [];
  logQuery(): void {
    this.calls.push('query');
  }
  logQueryError(): void {
    this.calls.push('error');
  }
  logQuerySlow(time: number): void {
    this.calls.push(`slow:${time}`);
  }
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

describe(QueryMetricsLogger.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let registry: Registry;
  let inner: RecordingLogger;

  async function countOf(operation: string): Promise<number> {
    const metric = await registry.getSingleMetric(DB_QUERY_DURATION_SECONDS)?.get();
    const sample = metric?.values.find(
      (value) =>
        value.labels.operation === operation &&
        'metricName' in value &&
        value.metricName === `${DB_QUERY_DURATION_SECONDS}_count`,
    );
    return sample?.value ?? 0;
  }

  beforeAll(async () => {
    database = await createTestDatabase('query_metrics');
    registry = new Registry();
    inner = new RecordingLogger();
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      logger: new QueryMetricsLogger(metricsIn(registry), { inner, slowQueryMs: 60_000 }),
      maxQueryExecutionTime: QUERY_METRICS_MAX_EXECUTION_TIME,
    });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  describe('logQuerySlow', () => {
    it('should observe every successful query under its operation', async () => {
      const before = { insert: await countOf('insert'), select: await countOf('select') };

      await dataSource.query(`INSERT INTO items VALUES (1, 'a'), (2, 'b')`);
      await dataSource.query('SELECT * FROM items WHERE id = $1', [1]);
      await dataSource.query('SELECT pg_sleep(0.05)');

      expect(await countOf('insert')).toBe(before.insert + 1);
      expect(await countOf('select')).toBe(before.select + 2);
    });

    it('should time queries in flight together on one transaction', async () => {
      const before = await countOf('select');

      await dataSource.transaction((manager) =>
        Promise.all([manager.query('SELECT pg_sleep(0.02)'), manager.query('SELECT 1')]),
      );

      expect(await countOf('select')).toBe(before + 2);
      expect(await countOf('transaction')).toBeGreaterThanOrEqual(2);
      const metric = await registry.getSingleMetric(DB_QUERY_DURATION_SECONDS)?.get();
      const sum = metric?.values.find(
        (value) =>
          value.labels.operation === 'select' &&
          'metricName' in value &&
          value.metricName === `${DB_QUERY_DURATION_SECONDS}_sum`,
      );
      // pg_sleep(0.05) earlier and pg_sleep(0.02) here are lower bounds of the time observed.
      expect(sum?.value).toBeGreaterThanOrEqual(0.07);
    });

    it('should pass only queries over the slow threshold on to the inner logger', () => {
      expect(inner.calls).toContain('query');
      expect(inner.calls.filter((call) => call.startsWith('slow:'))).toEqual([]);
    });
  });

  describe('logQueryError', () => {
    it('should observe a failed query and pass the error on', async () => {
      const before = await countOf('select');

      await expect(dataSource.query('SELECT * FROM missing_table')).rejects.toThrow();

      expect(await countOf('select')).toBe(before + 1);
      expect(inner.calls).toContain('error');
    });
  });
});

describe('queryOperation', () => {
  it.each([
    ['SELECT 1', 'select'],
    ['  insert into x values (1)', 'insert'],
    ['UPDATE x SET a = 1', 'update'],
    ['DELETE FROM x', 'delete'],
    ['WITH a AS (SELECT 1) SELECT * FROM a', 'with'],
    ['START TRANSACTION', 'transaction'],
    ['COMMIT', 'transaction'],
    ['ROLLBACK', 'transaction'],
    ['CREATE TABLE x (id int)', 'other'],
  ])('should label %j as %s', (query, operation) => {
    expect(queryOperation(query)).toBe(operation);
  });
});
