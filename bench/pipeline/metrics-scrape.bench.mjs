// What scraping /metrics costs a loaded service: the protected route's throughput with
// and without a scraper polling /metrics, and how long a scrape takes under load.
import { load, median, printTable, startServer, stopServer } from '../support/load.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const SCRAPE_INTERVAL_MS = 100;

async function scrapeWhile(url, running) {
  const timings = [];
  while (running.value) {
    const started = performance.now();
    const response = await fetch(url);
    await response.text();
    timings.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, SCRAPE_INTERVAL_MS));
  }
  return timings;
}

export async function benchMetricsScrape() {
  const server = await startServer('bench/pipeline/pipeline-server.ts', ['ours']);
  const base = `http://127.0.0.1:${server.port}`;
  const request = () =>
    load({
      url: `${base}/api/item`,
      headers: { authorization: `Bearer ${server.token}` },
      duration: DURATION_S,
    });
  const quiet = [];
  const scraped = [];
  const scrapeMs = [];
  try {
    await request();
    for (let round = 0; round < ROUNDS; round += 1) {
      quiet.push((await request()).rps);
      const running = { value: true };
      const scraper = scrapeWhile(`${base}/metrics`, running);
      scraped.push((await request()).rps);
      running.value = false;
      scrapeMs.push(...(await scraper));
    }
  } finally {
    await stopServer(server);
  }
  const sorted = [...scrapeMs].sort((a, b) => a - b);
  const percentile = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  printTable(
    `/metrics scraped every ${SCRAPE_INTERVAL_MS} ms under load (median of ${ROUNDS} rounds)`,
    [
      {
        case: 'no scraper',
        'req/s': Math.round(median(quiet)),
        'scrape p50 ms': '',
        'scrape p99 ms': '',
      },
      {
        case: 'scraper running',
        'req/s': Math.round(median(scraped)),
        'scrape p50 ms': percentile(0.5).toFixed(1),
        'scrape p99 ms': percentile(0.99).toFixed(1),
      },
    ],
  );
  process.stdout.write(
    `throughput kept while scraping: ${((100 * median(scraped)) / median(quiet)).toFixed(0)}%\n`,
  );
}
