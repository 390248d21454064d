#!/usr/bin/env node
// Writes k8s/monitoring/prometheus-rule.yaml, the PrometheusRule object of the Prometheus
// Operator, from the plain rules file k8s/monitoring/alert-rules.yml, so the two never drift.
//   node tools/ci/sync-prometheus-rule.mjs          regenerate
//   node tools/ci/sync-prometheus-rule.mjs --check  exit 1 when the object's groups differ
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse, stringify } from 'yaml';

const monitoring = resolve(dirname(fileURLToPath(import.meta.url)), '../../k8s/monitoring');
const rulesPath = resolve(monitoring, 'alert-rules.yml');
const objectPath = resolve(monitoring, 'prometheus-rule.yaml');

const HEADER = [
  '# Generated from alert-rules.yml by tools/ci/sync-prometheus-rule.mjs: edit that file, then',
  '# run the script. The release label is what kube-prometheus-stack selects rules by.',
  '',
].join('\n');

function prometheusRule(groups) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'msmebazaar-security-alerts',
      labels: { release: 'kube-prometheus-stack', 'app.kubernetes.io/component': 'monitoring' },
    },
    spec: { groups },
  };
}

const { groups } = parse(readFileSync(rulesPath, 'utf8'));

if (process.argv.includes('--check')) {
  const object = parse(readFileSync(objectPath, 'utf8'));
  if (!isDeepStrictEqual(object, prometheusRule(groups))) {
    console.error(
      'k8s/monitoring/prometheus-rule.yaml is out of date: run node tools/ci/sync-prometheus-rule.mjs',
    );
    process.exit(1);
  }
  console.log('prometheus-rule.yaml matches alert-rules.yml');
} else {
  const text = stringify(prometheusRule(groups), { lineWidth: 0, blockQuote: 'literal' });
  writeFileSync(objectPath, HEADER + text);
  console.log(`wrote ${objectPath}`);
}
