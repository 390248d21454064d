import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { kustomize } from './support/kustomize';
import { readRepositoryFile, REPOSITORY_ROOT, repositoryPath } from './support/repository';

/** Every non-spec TypeScript file below `directory`. */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The variable names the services read: EnvReader calls (`read.integer('PORT', ...)`),
 * helpers handed the reader (`positiveIntegers(read, 'IP_AUTO_BLOCK', ...)`) and direct
 * `process.env` reads. `RATE_LIMIT_` is read as a prefix and stands for its policies.
 */
function variablesReadBy(files: string[]): Map<string, string> {
  const patterns = [
    /\.(?:string|optionalString|integer|boolean|oneOf|url|list|withPrefix)(?:<[^>]*>)?\(\s*'([A-Z][A-Z0-9_]*)'/g,
    /\(\s*(?:read|env|reader)\s*,\s*'([A-Z][A-Z0-9_]*)'/g,
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
    /process\.env\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g,
  ];
  const found = new Map<string, string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const [, name] of source.matchAll(pattern))
        if (!found.has(name)) found.set(name, relative(REPOSITORY_ROOT, file));
    }
  }
  return found;
}

/** `.env.example` as name → the comment line right above it. */
function documentedVariables(): Map<string, string | undefined> {
  const lines = readRepositoryFile('.env.example').split('\n');
  const documented = new Map<string, string | undefined>();
  lines.forEach((line, index) => {
    const match = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (!match) return;
    const previous = lines[index - 1] ?? '';
    documented.set(match[1], previous.startsWith('# ') ? previous : undefined);
  });
  return documented;
}

describe('.env.example', () => {
  const documented = documentedVariables();
  const read = variablesReadBy([
    ...sourceFiles(repositoryPath('libs/security/src')),
    ...['auth-service', 'msme-service', 'valuation-service'].flatMap((app) =>
      sourceFiles(repositoryPath('apps', app, 'src')),
    ),
  ]);

  it('should find the variables the services read', () => {
    expect([...read.keys()]).toEqual(
      expect.arrayContaining(['SERVICE_NAME', 'DATABASE_URL', 'REDIS_URL', 'PORT']),
    );
  });

  it('should list every variable the services read', () => {
    const names = [...read.keys()].flatMap((name) =>
      name === 'RATE_LIMIT_'
        ? ['RATE_LIMIT_AUTH', 'RATE_LIMIT_OTP', 'RATE_LIMIT_API', 'RATE_LIMIT_VALUATION']
        : [name],
    );

    expect(
      names.filter((name) => !documented.has(name)).map((name) => `${name} (${read.get(name)})`),
    ).toEqual([]);
  });

  it.each([
    'SECRET_KEY',
    'JWT_ISSUER',
    'ACCESS_TOKEN_EXPIRE_MINUTES',
    'REFRESH_TOKEN_EXPIRE_DAYS',
    'DATABASE_URL',
    'REDIS_URL',
    'ENVIRONMENT',
    'LOG_LEVEL',
    'SERVICE_NAME',
    'SERVICE_VERSION',
    'PORT',
    'TRUST_PROXY',
    'SHUTDOWN_DRAIN_MS',
  ])('should list %s, a name the contract fixes', (name) => {
    expect(documented.has(name)).toBe(true);
  });

  it('should explain every variable in a comment line right above it', () => {
    expect([...documented].filter(([, comment]) => !comment).map(([name]) => name)).toEqual([]);
  });

  it('should hold no usable secret, only change-me values', () => {
    const secrets = readRepositoryFile('.env.example')
      .split('\n')
      .filter((line) => /^(SECRET_KEY|AUDIT_HMAC_KEY|[A-Z_]*PASSWORD|REDIS_URL)=/.test(line));

    expect(secrets.length).toBeGreaterThan(0);
    expect(secrets.filter((line) => !line.includes('change-me'))).toEqual([]);
  });

  it('should document every setting the Kubernetes manifests give the services', () => {
    const objects = kustomize(repositoryPath('k8s/base'));
    const names = objects
      .filter(
        (object) =>
          ['ConfigMap', 'Secret'].includes(object.kind) &&
          !object.metadata.labels?.grafana_dashboard,
      )
      .flatMap((object) => {
        const { data = {}, stringData = {} } = object as { data?: object; stringData?: object };
        return [...Object.keys(data), ...Object.keys(stringData)];
      })
      .filter((name) => /^[A-Z][A-Z0-9_]*$/.test(name));

    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });
});
