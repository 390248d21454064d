// Shared helpers of the benchmarks: child servers, autocannon runs, medians and tables.
import { fork } from 'node:child_process';
import { resolve } from 'node:path';

import autocannon from 'autocannon';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Starts a TypeScript benchmark server in its own process; resolves with its report. */
export function startServer(script, args = [], env = {}) {
  const child = fork(resolve(ROOT, script), args, {
    cwd: ROOT,
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    child.once('message', (report) => done({ child, ...report }));
    child.once('exit', (code) =>
      fail(new Error(`${script} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

export function stopServer(server) {
  return new Promise((done) => {
    server.child.once('exit', done);
    server.child.disconnect();
    setTimeout(() => server.child.kill('SIGKILL'), 5_000).unref();
  });
}

/** One autocannon run; resolves with requests per second and latency percentiles (ms). */
export async function load({
  url,
  headers = {},
  connections = 50,
  duration = 5,
  method = 'GET',
  body,
}) {
  const result = await autocannon({ url, headers, connections, duration, method, body });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Prints rows of equal keys as an aligned text table. */
export function printTable(title, rows) {
  const columns = Object.keys(rows[0]);
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
  process.stdout.write(`\n${title}\n${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((column) => row[column]))}\n`);
}
