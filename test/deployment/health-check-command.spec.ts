import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { freePort } from '../support/redis';
import { execFormOf, instructionsOf, readDockerfile } from './support/dockerfile';
import { readYaml } from './support/repository';

/** Runs a health-check command line with PORT set, as the container runtime would. */
function exitCodeOf(command: string[], port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      env: { PATH: process.env.PATH, PORT: String(port) },
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

/** A stand-in service answering every request with `status`, recording the paths asked. */
async function healthServer(
  status: number,
): Promise<{ server: Server; port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, paths };
}

const { stages } = readDockerfile();
const dockerfileCommand = execFormOf(instructionsOf(stages.at(-1) ?? stages[0], 'HEALTHCHECK')[0]);
const compose = readYaml<{ services: Record<string, { healthcheck: { test: string[] } }> }>(
  'docker/docker-compose.yml',
  { merge: true },
);
// `$$` is Compose's escape for a literal `$`.
const composeCommand = compose.services['msme-service'].healthcheck.test
  .slice(1)
  .map((part) => part.replaceAll('$$', '$'));

describe.each([
  ['the Dockerfile HEALTHCHECK', dockerfileCommand],
  ['the compose health check', composeCommand],
])('%s', (_source, command) => {
  const servers: Server[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('should pass when /health/live answers 200', async () => {
    const { server, port, paths } = await healthServer(200);
    servers.push(server);

    const code = await exitCodeOf(command, port);

    expect(code).toBe(0);
    expect(paths).toEqual(['/health/live']);
  });

  it('should fail when the service answers 503', async () => {
    const { server, port } = await healthServer(503);
    servers.push(server);

    await expect(exitCodeOf(command, port)).resolves.toBe(1);
  });

  it('should fail when nothing listens on the port', async () => {
    await expect(exitCodeOf(command, await freePort())).resolves.toBe(1);
  });
});
