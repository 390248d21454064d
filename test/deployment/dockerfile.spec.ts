import { Keyword } from 'dockerfile-ast';

import {
  argumentsOf,
  execFormOf,
  flagsOf,
  instructionsOf,
  readDockerfile,
} from './support/dockerfile';
import type { BuildStage } from './support/dockerfile';
import { readRepositoryFile, SERVICES } from './support/repository';

/** Docker's .dockerignore rules: last match wins, `!` re-includes, a matched folder takes its contents. */
function dockerIgnores(patterns: string[], path: string): boolean {
  let ignored = false;
  for (const line of patterns) {
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, '');
    // `**/` spans zero or more folders, `**` anything, `*` and `?` stay within one segment.
    const source = pattern
      .split('**')
      .map((part) =>
        part
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]'),
      )
      .reduce((joined, part) =>
        part.startsWith('/') ? `${joined}(.*/)?${part.slice(1)}` : `${joined}.*${part}`,
      );
    if (new RegExp(`^${source}(/.*)?$`).test(path)) ignored = !negated;
  }
  return ignored;
}

describe('docker/Dockerfile', () => {
  const { dockerfile, stages } = readDockerfile();
  const runtime = stages.at(-1) as BuildStage;
  const stageNamed = (name: string | undefined) => stages.find((stage) => stage.name === name);

  it('should use only known instructions, with a final stage and named earlier ones', () => {
    const known = new Set<string>(Object.values(Keyword));

    expect(
      dockerfile.getInstructions().filter((instruction) => !known.has(instruction.getKeyword())),
    ).toEqual([]);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.every((stage) => stage.name)).toBe(true);
  });

  it('should build every stage on the same pinned Node LTS slim image', () => {
    const images = new Set(stages.map((stage) => stage.image));
    const [image] = images;

    expect(images.size).toBe(1);
    expect(image).toMatch(/^node:(\d+)\.\d+\.\d+-(trixie|bookworm)-slim(@sha256:[0-9a-f]{64})?$/);
    expect(Number(/^node:(\d+)/.exec(image)?.[1]) % 2).toBe(0);
  });

  it('should install dependencies with npm ci from the lock file', () => {
    const build = stages[0];
    const copies = instructionsOf(build, 'COPY').map(argumentsOf);
    const installs = instructionsOf(build, 'RUN')
      .map(argumentsOf)
      .filter((command) => /\bnpm\b/.test(command));

    expect(copies[0]).toBe('package.json package-lock.json ./');
    expect(installs[0]).toMatch(/^npm ci\b/);
  });

  it('should ship only production dependencies, installed by npm ci --omit=dev', () => {
    const nodeModules = instructionsOf(runtime, 'COPY').filter((copy) =>
      argumentsOf(copy).includes('node_modules'),
    );
    const source = stageNamed(flagsOf(nodeModules[0]).from);
    const installs = source ? instructionsOf(source, 'RUN').map(argumentsOf) : [];
    const runtimeSetup = instructionsOf(runtime, 'RUN').map(argumentsOf).join('\n');

    expect(nodeModules).toHaveLength(1);
    expect(installs.filter((command) => /\bnpm\b/.test(command))).toEqual([
      expect.stringMatching(/^npm ci --omit=dev\b/),
    ]);
    expect(runtimeSetup).not.toMatch(/\bnpm (ci|install|i)\b/);
    expect(runtimeSetup).not.toMatch(/\b(g\+\+|make|python3)\b/);
  });

  it('should copy nothing into the final image but the built service and its dependencies', () => {
    const copies = instructionsOf(runtime, 'COPY').map((copy) => ({
      from: flagsOf(copy).from,
      args: argumentsOf(copy),
    }));

    expect(copies).toEqual([
      { from: expect.any(String), args: expect.stringMatching(/node_modules/) },
      {
        from: stages[0].name,
        args: expect.stringMatching(/^\/workspace\/dist\/apps\/\$\{APP\}\/ \.\/$/),
      },
    ]);
  });

  it('should keep the application files read-only for the service user', () => {
    const copies = instructionsOf(runtime, 'COPY');

    expect(copies.map((copy) => flagsOf(copy).chown)).toEqual(copies.map(() => 'root:root'));
  });

  it('should run as the non-root user with uid 1000', () => {
    const users = instructionsOf(runtime, 'USER').map(argumentsOf);

    expect(users.at(-1)).toMatch(/^1000(:1000)?$/);
    expect(
      runtime.instructions.findIndex((instruction) => instruction.getKeyword() === 'USER'),
    ).toBeGreaterThan(
      runtime.instructions.findLastIndex((instruction) =>
        ['RUN', 'COPY'].includes(instruction.getKeyword()),
      ),
    );
  });

  it('should check /health/live in a HEALTHCHECK', () => {
    const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
    const command = execFormOf(healthcheck);

    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/health/live');
    expect(flagsOf(healthcheck)).toMatchObject({
      interval: expect.any(String),
      timeout: expect.any(String),
    });
  });

  it('should expose and listen on the port it is built for', () => {
    expect(instructionsOf(runtime, 'ARG').map(argumentsOf)).toContain('PORT');
    expect(instructionsOf(runtime, 'EXPOSE').map(argumentsOf)).toEqual(['${PORT}']);
    expect(instructionsOf(runtime, 'ENV').map(argumentsOf).join(' ')).toMatch(/\bPORT=\$\{PORT\}/);
  });

  it('should run tini as PID 1 so SIGTERM reaches node', () => {
    const [entrypoint] = instructionsOf(runtime, 'ENTRYPOINT');
    const [command] = instructionsOf(runtime, 'CMD');
    const setup = instructionsOf(runtime, 'RUN').map(argumentsOf).join('\n');

    expect(execFormOf(entrypoint)).toEqual(['/usr/bin/tini', '--']);
    expect(execFormOf(command)[0]).toBe('node');
    expect(execFormOf(command).at(-1)).toBe('main.js');
    expect(setup).toMatch(/apt-get install [^\n]*\btini\b/);
  });

  it('should remove the package managers and shells from the final image', () => {
    const runs = instructionsOf(runtime, 'RUN').map(argumentsOf);
    const setup = runs.join('\n');

    expect(setup).toContain('rm -rf /usr/local/lib/node_modules/npm');
    expect(setup).toContain('/var/lib/apt/lists/*');
    expect(runs.at(-1)).toMatch(/rm -f [^\n]*\/usr\/bin\/apt-\*[^\n]*\/usr\/bin\/dpkg/);
    expect(runs.at(-1)).toMatch(/\/bin\/sh\b/);
  });

  it('should bake in no secret', () => {
    const names = stages
      .flatMap((stage) => [...instructionsOf(stage, 'ENV'), ...instructionsOf(stage, 'ARG')])
      .flatMap((instruction) => argumentsOf(instruction).split(/\s+/))
      .map((assignment) => assignment.split('=')[0]);

    expect(
      names.filter((name) => /SECRET|PASSWORD|TOKEN|_KEY$|DATABASE_URL|REDIS_URL/.test(name)),
    ).toEqual([]);
    expect(
      stages
        .flatMap((stage) => instructionsOf(stage, 'COPY').map(argumentsOf))
        .filter((args) => /\.env\b/.test(args)),
    ).toEqual([]);
  });

  it.each(SERVICES)(
    'should find the build output of $name where the image copies it from',
    ({ name }) => {
      const project = JSON.parse(readRepositoryFile('apps', name, 'project.json')) as {
        targets: { build: { options: { outputPath: string } } };
      };

      expect(project.targets.build.options.outputPath).toBe(`dist/apps/${name}`);
      expect(readRepositoryFile('apps', name, 'webpack.config.js')).toMatch(
        /generatePackageJson:\s*true/,
      );
    },
  );

  describe('.dockerignore', () => {
    const patterns = readRepositoryFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));

    it.each([
      'node_modules/nx/package.json',
      'apps/msme-service/node_modules/x',
      '.data/postgres/PG_VERSION',
      'dist/apps/msme-service/main.js',
      '.env',
      '.env.production',
      'apps/msme-service/test/msme.e2e.spec.ts',
      'libs/security/src/config/env-reader.spec.ts',
      'test/support/postgres.ts',
      'k8s/base/kustomization.yaml',
      '.git/HEAD',
      'certs/server.key',
    ])('should keep %s out of the build context', (path) => {
      expect(dockerIgnores(patterns, path)).toBe(true);
    });

    it.each([
      'package.json',
      'package-lock.json',
      'nx.json',
      'tsconfig.base.json',
      'apps/msme-service/src/main.ts',
      'apps/msme-service/project.json',
      'apps/msme-service/webpack.config.js',
      'libs/security/src/index.ts',
    ])('should send %s to the build', (path) => {
      expect(dockerIgnores(patterns, path)).toBe(false);
    });
  });
});
