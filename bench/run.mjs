// `npm run bench`: every benchmark, or those named as arguments (e.g. `npm run bench -- pipeline`).
import { benchAudit } from './audit.bench.mjs';
import { runAuthBench } from './auth.bench.mjs';
import { benchMsme } from './msme.bench.mjs';
import { benchMetricsScrape } from './pipeline/metrics-scrape.bench.mjs';
import { benchPipeline } from './pipeline/pipeline.bench.mjs';
import { runRateLimitBench } from './rate-limit.bench.mjs';

const BENCHMARKS = {
  pipeline: benchPipeline,
  'rate-limit': runRateLimitBench,
  audit: benchAudit,
  msme: benchMsme,
  auth: runAuthBench,
  'metrics-scrape': benchMetricsScrape,
};

const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(BENCHMARKS);
for (const name of chosen) {
  if (!BENCHMARKS[name])
    throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  await BENCHMARKS[name]();
}
