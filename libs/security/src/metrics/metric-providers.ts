import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

import {
  AUTH_ATTEMPTS_TOTAL,
  DB_QUERY_DURATION_SECONDS,
  HTTP_REQUEST_DURATION_SECONDS,
  OUTBOUND_REQUEST_DURATION_SECONDS,
  RATE_LIMIT_STORE_ERRORS_TOTAL,
  RATE_LIMIT_VIOLATIONS_TOTAL,
  SECURITY_EVENTS_TOTAL,
  SUSPICIOUS_ACTIVITY_TOTAL,
  TOKEN_VALIDATIONS_TOTAL,
} from './metric-names.constants';

const LATENCY_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** Every metric of the library; the `service` label comes from the registry's defaults. */
export const METRIC_PROVIDERS = [
  makeCounterProvider({
    name: AUTH_ATTEMPTS_TOTAL,
    help: 'Login attempts by outcome',
    labelNames: ['status'],
  }),
  makeCounterProvider({
    name: RATE_LIMIT_VIOLATIONS_TOTAL,
    help: 'Requests refused (or, in shadow mode, that would have been) by a rate-limit policy',
    labelNames: ['endpoint', 'policy'],
  }),
  makeCounterProvider({
    name: RATE_LIMIT_STORE_ERRORS_TOTAL,
    help: 'Rate-limit decisions the store could not make in time, by the mode applied',
    labelNames: ['policy', 'fail_mode'],
  }),
  makeCounterProvider({
    name: TOKEN_VALIDATIONS_TOTAL,
    help: 'Bearer and API token validations by result',
    labelNames: ['result'],
  }),
  makeCounterProvider({
    name: SUSPICIOUS_ACTIVITY_TOTAL,
    help: 'Suspicious activity detected, by type',
    labelNames: ['type'],
  }),
  makeCounterProvider({
    name: SECURITY_EVENTS_TOTAL,
    help: 'Security events logged, by type',
    labelNames: ['event_type'],
  }),
  makeHistogramProvider({
    name: HTTP_REQUEST_DURATION_SECONDS,
    help: 'HTTP request duration by route pattern',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS_SECONDS,
  }),
  makeHistogramProvider({
    name: OUTBOUND_REQUEST_DURATION_SECONDS,
    help: 'Duration of calls to other services',
    labelNames: ['target', 'method', 'status_code'],
    buckets: LATENCY_BUCKETS_SECONDS,
  }),
  makeHistogramProvider({
    name: DB_QUERY_DURATION_SECONDS,
    help: 'Database query duration',
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS_SECONDS,
  }),
];
