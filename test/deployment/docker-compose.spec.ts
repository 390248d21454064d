import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { compileComposeValidator } from './support/compose-schema';
import { parseImageReference } from './support/kustomize';
import {
  readRepositoryFile,
  readYaml,
  REPOSITORY_ROOT,
  repositoryPath,
  SERVICES,
} from './support/repository';

interface HealthCheck {
  test?: string[] | string;
  disable?: boolean;
  interval?: string;
}

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[] | string;
  environment?: Record<string, string>;
  env_file?: string | string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: HealthCheck;
  ports?: string[];
  volumes?: string[];
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  stop_grace_period?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_FILE = 'docker/docker-compose.yml';
const COMPOSE_DIRECTORY = repositoryPath('docker');

/** Names whose values are secret; the compose file may only take them from the env file. */
const SECRET_VARIABLES = [
  'SECRET_KEY',
  'PGPASSWORD',
  'POSTGRES_PASSWORD',
  'REDIS_PASSWORD',
  'REDIS_URL',
  'GF_SECURITY_ADMIN_PASSWORD',
];

function durationSeconds(duration: string): number {
  const match = /^(\d+)s$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]);
}

/** Bind mounts as [absolute source, target]; named volumes are left out. */
function bindMounts(service: ComposeService): [string, string][] {
  return (service.volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter(([source]) => source.startsWith('.') || source.startsWith('/'))
    .map(([source, target]) => [resolve(COMPOSE_DIRECTORY, source), target]);
}

/** Prometheus' rule_files globs: `*` matches within one path segment. */
function matchesGlob(path: string, glob: string): boolean {
  const pattern = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${pattern.join('[^/]*')}$`).test(path);
}

/** Every datasource reference of a Grafana dashboard: a uid object or a name string. */
function datasourceReferences(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(datasourceReferences);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key !== 'datasource') return datasourceReferences(value);
    if (typeof value === 'string') return [value];
    if (typeof value === 'object' && value !== null && 'uid' in value) return [String(value.uid)];
    return [];
  });
}

function collectStrings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(collectStrings);
  if (typeof node === 'object' && node !== null) {
    return Object.entries(node).flatMap(([key, value]) => [key, ...collectStrings(value)]);
  }
  return [];
}

describe('docker-compose.yml', () => {
  const compose = readYaml<ComposeFile>(COMPOSE_FILE, { merge: true });
  const services = Object.entries(compose.services);
  const appServices = SERVICES.map(({ name, port }) => ({
    name,
    port,
    service: compose.services[name],
  }));

  describe('schema', () => {
    const validate = compileComposeValidator();

    it('should validate against the Compose specification schema', () => {
      const valid = validate(compose);

      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    });

    it('should reject a file the specification does not allow', () => {
      const broken = structuredClone(compose) as ComposeFile & { services: Record<string, object> };
      broken.services.redis = {
        ...broken.services.redis,
        healthcheck: { test: ['CMD', 'true'], interval: 'often' },
      };

      expect(validate(broken)).toBe(false);
    });
  });

  describe('every service', () => {
    it.each(services)('should give %s a health check', (_name, service) => {
      const test = service.healthcheck?.test;

      expect(service.healthcheck?.disable).not.toBe(true);
      expect(Array.isArray(test) && ['CMD', 'CMD-SHELL'].includes(test[0]) && test.length > 1).toBe(
        true,
      );
    });

    it.each(services)('should run %s from a pinned image, never latest', (_name, service) => {
      const image = parseImageReference(service.image ?? '');

      expect(image.tag ?? image.digest).toBeDefined();
      expect(image.tag).not.toBe('latest');
      expect(image.tag ?? '').toMatch(/^$|^v?\d+\.\d+\.\d+(-[a-z0-9.-]+)?$|^\d+\.\d+-[a-z0-9]+$/);
    });

    it.each(services)(
      'should start %s only after the services it needs are healthy',
      (_name, service) => {
        for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
          expect(condition).toBe('service_healthy');
          expect(compose.services[dependency]?.healthcheck?.test).toBeDefined();
        }
      },
    );

    it.each(services)(
      'should mount into %s only files of the repository that exist',
      (_name, service) => {
        for (const [source] of bindMounts(service)) {
          expect(source.startsWith(REPOSITORY_ROOT)).toBe(true);
          expect(existsSync(source)).toBe(true);
        }
      },
    );
  });

  describe('secrets', () => {
    it('should take secrets only from the git-ignored .env at the repository root', () => {
      const envFiles = services.flatMap(([, service]) => [service.env_file ?? []].flat());

      expect(envFiles.length).toBeGreaterThan(0);
      expect(new Set(envFiles.map((file) => resolve(COMPOSE_DIRECTORY, file)))).toEqual(
        new Set([repositoryPath('.env')]),
      );
      expect(() =>
        execFileSync('git', ['check-ignore', '--quiet', '--no-index', '.env'], {
          cwd: REPOSITORY_ROOT,
        }),
      ).not.toThrow();
      expect(() =>
        execFileSync('git', ['check-ignore', '--quiet', '--no-index', '.env.example'], {
          cwd: REPOSITORY_ROOT,
        }),
      ).toThrow();
    });

    it('should write no secret into the file itself', () => {
      const inline = services.flatMap(([, service]) => Object.entries(service.environment ?? {}));

      expect(inline.filter(([key]) => SECRET_VARIABLES.includes(key))).toEqual([]);
      expect(inline.filter(([, value]) => /:\/\/[^/\s@]*:[^/\s@]*@/.test(String(value)))).toEqual(
        [],
      );
    });

    it('should interpolate nothing, so it never depends on a second env file', () => {
      const unescaped = collectStrings(compose).filter((value) =>
        value.replaceAll('$$', '').includes('$'),
      );

      expect(unescaped).toEqual([]);
    });
  });

  describe.each(SERVICES)('$name', ({ name, port }) => {
    const service = compose.services[name];

    it('should be built from the shared Dockerfile for its own project and port', () => {
      expect(service.build).toEqual({
        context: '..',
        dockerfile: 'docker/Dockerfile',
        args: { APP: name, PORT: String(port) },
      });
      expect(parseImageReference(service.image ?? '').name).toBe(`msmebazaar/${name}`);
      expect(service.environment).toMatchObject({ SERVICE_NAME: name, PORT: String(port) });
      expect(service.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    });

    it('should run unprivileged on a read-only filesystem with a writable /tmp', () => {
      expect(service.user).toBe('1000:1000');
      expect(service.read_only).toBe(true);
      expect(service.tmpfs).toEqual(['/tmp']);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.security_opt).toContain('no-new-privileges:true');
    });

    it('should give the drain time to finish before the container is killed', () => {
      const drainSeconds = Number(service.environment?.SHUTDOWN_DRAIN_MS) / 1000;

      expect(drainSeconds).toBeGreaterThan(0);
      expect(durationSeconds(service.stop_grace_period ?? '0s')).toBeGreaterThan(drainSeconds);
    });

    it('should use its own database, owned by its own role, with no password in the URL', () => {
      const url = new URL(service.environment?.DATABASE_URL ?? '');
      const databases = (compose.services.postgres.environment?.APP_DATABASES ?? '').split(' ');

      expect(url.hostname).toBe('postgres');
      expect(url.password).toBe('');
      expect(url.username).toBe(url.pathname.slice(1));
      expect(databases).toContain(url.username);
    });

    it('should depend on healthy Postgres and Redis', () => {
      expect(service.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    });
  });

  describe('neighbours of the services', () => {
    it('should give each service its own database, created by the init script', () => {
      const postgres = compose.services.postgres;
      const databases = (postgres.environment?.APP_DATABASES ?? '').split(' ');
      const init = bindMounts(postgres).find(([, target]) =>
        target.startsWith('/docker-entrypoint-initdb.d/'),
      );

      expect(new Set(databases).size).toBe(SERVICES.length);
      expect(init?.[0]).toBe(repositoryPath('docker/postgres/init-databases.sh'));
    });

    it('should protect Redis with a password from the env file', () => {
      const redis = compose.services.redis;

      expect([redis.command].flat().join(' ')).toContain('--requirepass "$$REDIS_PASSWORD"');
      expect(redis.env_file).toBe('../.env');
      expect([redis.healthcheck?.test].flat().join(' ')).toContain('REDISCLI_AUTH');
    });

    it('should catch development mail in Mailpit', () => {
      const smtp = new URL(compose.services['auth-service'].environment?.SMTP_URL ?? '');

      expect(parseImageReference(compose.services[smtp.hostname]?.image ?? '').name).toBe(
        'axllent/mailpit',
      );
      expect(smtp.port).toBe('1025');
    });

    it('should point valuation-service at msme-service and every service at the JWKS', () => {
      for (const { service } of appServices) {
        expect(service.environment?.JWKS_URL).toBe(
          'http://auth-service:8001/.well-known/jwks.json',
        );
      }
      expect(compose.services['valuation-service'].environment?.MSME_SERVICE_URL).toBe(
        'http://msme-service:8002',
      );
    });
  });

  describe('monitoring', () => {
    const prometheus = compose.services.prometheus;
    const prometheusConfig = readYaml<{
      rule_files: string[];
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    }>('docker/prometheus/prometheus.yml');

    it('should load the alert rules shared with the cluster', () => {
      const rules = bindMounts(prometheus).find(
        ([source]) => source === repositoryPath('k8s/monitoring/alert-rules.yml'),
      );

      expect(rules).toBeDefined();
      expect(prometheusConfig.rule_files.some((glob) => matchesGlob(rules?.[1] ?? '', glob))).toBe(
        true,
      );
      expect(
        readYaml<{ groups: unknown[] }>('k8s/monitoring/alert-rules.yml').groups.length,
      ).toBeGreaterThan(0);
    });

    it('should scrape /metrics of the three services', () => {
      const [job] = prometheusConfig.scrape_configs;

      expect(prometheusConfig.scrape_configs).toHaveLength(1);
      expect(job.metrics_path).toBe('/metrics');
      expect(job.static_configs.flatMap((config) => config.targets)).toEqual(
        SERVICES.map(({ name, port }) => `${name}:${port}`),
      );
    });

    it('should provision Grafana with the Prometheus datasource and the shared dashboards', () => {
      const mounts = bindMounts(compose.services.grafana);
      const provider = readYaml<{ providers: { options: { path: string } }[] }>(
        'docker/grafana/provisioning/dashboards/msmebazaar.yml',
      ).providers[0];
      const dashboards = mounts.find(
        ([source]) => source === repositoryPath('k8s/monitoring/grafana'),
      );

      expect(mounts).toContainEqual([
        repositoryPath('docker/grafana/provisioning'),
        '/etc/grafana/provisioning',
      ]);
      expect(dashboards?.[1]).toBe(provider.options.path);
      expect(
        readdirSync(dashboards?.[0] ?? '').filter((file) => file.endsWith('.json')).length,
      ).toBeGreaterThan(0);
    });

    it('should provision every datasource the dashboards refer to', () => {
      const provisioned = readYaml<{ datasources: { uid: string; name: string }[] }>(
        'docker/grafana/provisioning/datasources/prometheus.yml',
      ).datasources.flatMap((datasource) => [datasource.uid, datasource.name]);
      const directory = repositoryPath('k8s/monitoring/grafana');
      const references = readdirSync(directory)
        .filter((file) => file.endsWith('.json'))
        .flatMap((file) =>
          datasourceReferences(JSON.parse(readFileSync(join(directory, file), 'utf8'))),
        );
      const variableOrBuiltIn = /^\$|^-- .* --$|^grafana$/;

      expect(
        references.filter((ref) => !variableOrBuiltIn.test(ref) && !provisioned.includes(ref)),
      ).toEqual([]);
    });
  });

  it('should document every variable it sets in .env.example', () => {
    const documented = readRepositoryFile('.env.example');
    const names = appServices.flatMap(({ service }) => Object.keys(service.environment ?? {}));

    expect(names.filter((name) => !new RegExp(`^${name}=`, 'm').test(documented))).toEqual([]);
  });
});
