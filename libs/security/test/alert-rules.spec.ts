import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { parse } from 'yaml';

import * as metricNames from '../src/metrics/metric-names.constants';

interface AlertRule {
  alert: string;
  expr: string;
}

const MONITORING = resolve(__dirname, '../../../k8s/monitoring');
const rules: AlertRule[] = parse(
  readFileSync(resolve(MONITORING, 'alert-rules.yml'), 'utf8'),
).groups.flatMap((group: { rules: AlertRule[] }) => group.rules);
const dashboard = JSON.parse(
  readFileSync(resolve(MONITORING, 'grafana/security-dashboard.json'), 'utf8'),
) as { panels: { targets?: { expr: string }[] }[] };

const KNOWN_METRICS = new Set<string>([...Object.values(metricNames), 'up']);
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'offset', 'unless', 'or', 'and']);

// The series names an expression selects: identifiers followed by a selector or a range.
function metricsOf(expr: string): string[] {
  const names = [...expr.matchAll(/\b([a-z_][a-z0-9_]*)\s*(?=\{|\[)/g)].map((match) => match[1]);
  return names
    .filter((name) => !PROMQL_WORDS.has(name))
    .map((name) => name.replace(/_(bucket|count|sum)$/, ''));
}

describe('alert rules', () => {
  it('should define the seven alerts of the platform', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual([
      'BlockedIpSpike',
      'High5xxRate',
      'HighFailedLogins',
      'HighP99Latency',
      'RateLimitViolations',
      'ServiceDown',
      'TokenReuseDetected',
    ]);
  });

  it.each(rules.map((rule) => [rule.alert, rule.expr]))(
    'should select only metrics of the library in %s, aggregated by service',
    (_, expr) => {
      const metrics = metricsOf(expr);

      expect(metrics.length).toBeGreaterThan(0);
      expect(metrics.filter((name) => !KNOWN_METRICS.has(name))).toEqual([]);
      expect(expr).toMatch(/by \(service[,)]/);
    },
  );

  it('should chart only metrics of the library on the dashboard', () => {
    const exprs = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((t) => t.expr);

    const unknown = exprs.flatMap(metricsOf).filter((name) => !KNOWN_METRICS.has(name));

    expect(exprs.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });
});
