import { kustomize, parseImageReference } from './support/kustomize';
import type { KubernetesObject } from './support/kustomize';
import {
  CUSTOM_RESOURCE_TYPES,
  hasKubernetesSchema,
  typeOf,
  validateKubernetesObject,
} from './support/kubernetes-schema';
import { repositoryPath, SERVICES } from './support/repository';

interface Probe {
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    automountServiceAccountToken?: boolean;
    terminationGracePeriodSeconds?: number;
    securityContext?: {
      runAsNonRoot?: boolean;
      runAsUser?: number;
      fsGroup?: number;
      seccompProfile?: { type: string };
    };
    containers: Container[];
    volumes?: { name: string; emptyDir?: object; secret?: { secretName: string } }[];
  };
}

interface Deployment extends KubernetesObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
  };
}

interface Overlay {
  name: string;
  directory: string;
  namespace: string;
  environment: string;
  environmentLabel?: string;
  minReplicas: number;
}

const OVERLAYS: Overlay[] = [
  {
    name: 'base',
    directory: 'k8s/base',
    namespace: 'msmebazaar',
    environment: 'production',
    minReplicas: 2,
  },
  {
    name: 'dev',
    directory: 'k8s/overlays/dev',
    namespace: 'msmebazaar-dev',
    environment: 'development',
    environmentLabel: 'dev',
    minReplicas: 1,
  },
  {
    name: 'prod',
    directory: 'k8s/overlays/prod',
    namespace: 'msmebazaar',
    environment: 'production',
    environmentLabel: 'production',
    minReplicas: 3,
  },
];

const PLACEHOLDER = /^<[^<>\n]+>$/;

function ofKind<T extends KubernetesObject>(objects: KubernetesObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}

function find<T extends KubernetesObject>(
  objects: KubernetesObject[],
  kind: string,
  name: string,
): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is not rendered`);
  return found as T;
}

function configData(objects: KubernetesObject[], name: string): Record<string, string> {
  return find<KubernetesObject & { data: Record<string, string> }>(objects, 'ConfigMap', name).data;
}

function secretValues(secret: KubernetesObject): string[] {
  const { data = {}, stringData = {} } = secret as {
    data?: Record<string, string>;
    stringData?: Record<string, string>;
  };
  return [
    ...Object.values(stringData),
    ...Object.values(data).map((value) => Buffer.from(value, 'base64').toString('utf8')),
  ];
}

function secretKeys(secret: KubernetesObject): string[] {
  const { data = {}, stringData = {} } = secret as { data?: object; stringData?: object };
  return [...Object.keys(data), ...Object.keys(stringData)].sort();
}

describe.each(OVERLAYS)('Kubernetes manifests: $name', (overlay) => {
  const objects = kustomize(repositoryPath(overlay.directory));
  const deployments = ofKind<Deployment>(objects, 'Deployment');
  const builtIn = objects.filter((object) => !CUSTOM_RESOURCE_TYPES.has(typeOf(object)));

  describe('schemas', () => {
    it('should render only types that are either built in or known operator kinds', () => {
      const unknown = objects.filter(
        (object) => !hasKubernetesSchema(object) && !CUSTOM_RESOURCE_TYPES.has(typeOf(object)),
      );

      expect(unknown.map(typeOf)).toEqual([]);
    });

    it.each(builtIn.map((object) => [`${object.kind} ${object.metadata.name}`, object] as const))(
      'should validate %s against the Kubernetes schema',
      (_title, object) => {
        expect(() => validateKubernetesObject(object)).not.toThrow();
      },
    );

    it('should put every object in the overlay namespace', () => {
      const elsewhere = objects.filter((object) => object.metadata.namespace !== overlay.namespace);

      expect(elsewhere.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([]);
    });

    it('should deploy exactly the three services of the contract', () => {
      expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(
        SERVICES.map((service) => service.name),
      );
    });
  });

  describe.each(SERVICES)('$name workload', (service) => {
    const deployment = find<Deployment>(objects, 'Deployment', service.name);
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;

    it('should run as uid 1000 without privileges and with a read-only root filesystem', () => {
      expect(pod.containers).toHaveLength(1);
      expect(pod.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        fsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.securityContext?.capabilities?.add).toBeUndefined();
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    it('should let the app write to /tmp only, and mount Secrets read-only', () => {
      const mounts = container.volumeMounts ?? [];
      const volume = (name: string) => pod.volumes?.find((candidate) => candidate.name === name);
      const others = mounts.filter((mount) => mount.mountPath !== '/tmp');

      expect(
        volume(mounts.find((mount) => mount.mountPath === '/tmp')?.name ?? '')?.emptyDir,
      ).toBeDefined();
      expect(others.filter((mount) => !mount.readOnly || !volume(mount.name)?.secret)).toEqual([]);
    });

    it('should probe the health routes on the contract port', () => {
      const port = container.ports?.find((candidate) => candidate.name === 'http');

      expect(port?.containerPort).toBe(service.port);
      expect(configData(objects, `${service.name}-config`).PORT).toBe(String(service.port));
      expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    });

    it('should request and limit resources as the original design does', () => {
      expect(container.resources).toEqual({
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      });
    });

    it('should outlast the preStop pause and the drain before the kubelet kills it', () => {
      const drainSeconds =
        Number(configData(objects, 'msmebazaar-config').SHUTDOWN_DRAIN_MS) / 1000;
      const preStopSeconds = container.lifecycle?.preStop?.sleep?.seconds ?? 0;

      expect(drainSeconds).toBeGreaterThan(0);
      expect(preStopSeconds).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + drainSeconds);
    });

    it('should carry the recommended labels, with a selector its pods match', () => {
      const expected = {
        'app.kubernetes.io/name': service.name,
        'app.kubernetes.io/part-of': 'msmebazaar',
        'app.kubernetes.io/component': 'api',
      };

      expect(deployment.metadata.labels).toMatchObject({
        ...expected,
        'app.kubernetes.io/managed-by': 'kustomize',
        ...(overlay.environmentLabel ? { environment: overlay.environmentLabel } : {}),
      });
      expect(deployment.spec.template.metadata.labels).toMatchObject(expected);
      expect(deployment.spec.template.metadata.labels).toMatchObject(
        deployment.spec.selector.matchLabels,
      );
    });

    it('should use a pinned image of its own service, never latest', () => {
      const image = parseImageReference(container.image);

      expect(image.name).toMatch(new RegExp(`(^|/)${service.name}$`));
      expect(image.tag ?? image.digest).toBeDefined();
      expect(image.tag).not.toBe('latest');
      expect(image.tag ?? '').toMatch(/^$|^\d+\.\d+\.\d+/);
    });

    it('should read its configuration from ConfigMaps and its secrets from its Secret', () => {
      const sources = container.envFrom ?? [];
      const configMaps = sources.flatMap((source) =>
        source.configMapRef ? [source.configMapRef.name] : [],
      );
      const secrets = sources.flatMap((source) =>
        source.secretRef ? [source.secretRef.name] : [],
      );

      expect(configMaps).toEqual(['msmebazaar-config', `${service.name}-config`]);
      expect(secrets).toEqual([`${service.name}-secrets`]);
      for (const name of configMaps) expect(() => find(objects, 'ConfigMap', name)).not.toThrow();
    });

    it('should leave the replica count to its HorizontalPodAutoscaler', () => {
      const autoscaler = find<KubernetesObject & { spec: Record<string, unknown> }>(
        objects,
        'HorizontalPodAutoscaler',
        service.name,
      );

      expect(deployment.spec.replicas).toBeUndefined();
      expect(autoscaler.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: service.name,
      });
      expect(autoscaler.spec.minReplicas).toBe(overlay.minReplicas);
      expect(autoscaler.spec.maxReplicas).toBeGreaterThan(overlay.minReplicas);
    });

    it('should have a Service and a PodDisruptionBudget that select its pods', () => {
      const serviceObject = find<
        KubernetesObject & { spec: { selector: Record<string, string>; ports: object[] } }
      >(objects, 'Service', service.name);
      const budget = find<
        KubernetesObject & { spec: { selector: { matchLabels: object }; maxUnavailable?: number } }
      >(objects, 'PodDisruptionBudget', service.name);

      expect(deployment.spec.template.metadata.labels).toMatchObject(serviceObject.spec.selector);
      expect(serviceObject.spec.ports).toEqual([
        { name: 'http', port: service.port, targetPort: 'http', protocol: 'TCP' },
      ]);
      expect(deployment.spec.template.metadata.labels).toMatchObject(
        budget.spec.selector.matchLabels,
      );
      expect(budget.spec.maxUnavailable).toBe(1);
    });
  });

  describe('configuration and secrets', () => {
    it(`should configure the ${overlay.environment} environment`, () => {
      const config = configData(objects, 'msmebazaar-config');

      expect(config.ENVIRONMENT).toBe(overlay.environment);
      if (overlay.environment === 'production') expect(config.DOCS_ENABLED).toBe('false');
    });

    it('should keep every Secret value a placeholder', () => {
      const values = ofKind(objects, 'Secret').flatMap(secretValues);

      expect(values.filter((value) => !PLACEHOLDER.test(value))).toEqual([]);
    });

    it('should keep credentials out of ConfigMaps', () => {
      const secretNames = new Set(ofKind(objects, 'Secret').flatMap(secretKeys));
      const entries = ofKind<KubernetesObject & { data?: Record<string, string> }>(
        objects,
        'ConfigMap',
      )
        .filter((configMap) => !configMap.metadata.labels?.grafana_dashboard)
        .flatMap((configMap) => Object.entries(configMap.data ?? {}));

      expect(
        entries.filter(([key]) => secretNames.has(key) || /SECRET|PASSWORD|TOKEN$/.test(key)),
      ).toEqual([]);
      expect(entries.filter(([, value]) => /:\/\/[^/\s]*:[^/\s]*@/.test(value))).toEqual([]);
    });
  });

  describe('monitoring', () => {
    it('should scrape /metrics of exactly the three services', () => {
      const monitor = find<
        KubernetesObject & {
          spec: {
            selector: { matchLabels: Record<string, string> };
            endpoints: { port: string; path: string }[];
          };
        }
      >(objects, 'ServiceMonitor', 'msmebazaar');
      const selected = ofKind<KubernetesObject & { spec: { ports: { name: string }[] } }>(
        objects,
        'Service',
      ).filter((candidate) =>
        Object.entries(monitor.spec.selector.matchLabels).every(
          ([key, value]) => candidate.metadata.labels?.[key] === value,
        ),
      );

      expect(selected.map((candidate) => candidate.metadata.name).sort()).toEqual(
        SERVICES.map((service) => service.name),
      );
      expect(monitor.spec.endpoints).toHaveLength(1);
      expect(monitor.spec.endpoints[0]).toMatchObject({ path: '/metrics', honorLabels: true });
      for (const candidate of selected) {
        expect(candidate.spec.ports.map((port) => port.name)).toContain(
          monitor.spec.endpoints[0].port,
        );
      }
    });

    it('should carry alerting rules that Prometheus can load', () => {
      const rules = ofKind<
        KubernetesObject & {
          spec: { groups: { name: string; rules: Record<string, unknown>[] }[] };
        }
      >(objects, 'PrometheusRule');

      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules.flatMap((object) =>
        object.spec.groups.flatMap((group) => group.rules),
      )) {
        expect(typeof rule.expr === 'string' || typeof rule.expr === 'number').toBe(true);
        expect(Boolean(rule.alert) !== Boolean(rule.record)).toBe(true);
      }
    });

    it('should ship the Grafana dashboard to the dashboard sidecar', () => {
      const dashboard = find<KubernetesObject & { data: Record<string, string> }>(
        objects,
        'ConfigMap',
        'msmebazaar-security-dashboard',
      );

      expect(dashboard.metadata.labels?.grafana_dashboard).toBe('1');
      expect(() => JSON.parse(dashboard.data['security-dashboard.json'])).not.toThrow();
    });
  });

  describe('external data stores', () => {
    it.each(['postgres', 'redis', 'smtp'])(
      'should reach %s through an ExternalName Service',
      (name) => {
        const external = find<KubernetesObject & { spec: { type: string; externalName: string } }>(
          objects,
          'Service',
          name,
        );

        expect(external.spec.type).toBe('ExternalName');
        expect(external.spec.externalName).toMatch(/^[a-z0-9.-]+$/);
      },
    );
  });
});

describe('Kubernetes manifests: secrets across overlays', () => {
  const base = kustomize(repositoryPath('k8s/base'));
  const prod = kustomize(repositoryPath('k8s/overlays/prod'));
  const dev = kustomize(repositoryPath('k8s/overlays/dev'));
  const templates = ofKind(base, 'Secret');

  it('should define in the base template every Secret a Deployment reads', () => {
    const referenced = ofKind<Deployment>(base, 'Deployment').flatMap(({ spec }) => [
      ...spec.template.spec.containers.flatMap((container) =>
        (container.envFrom ?? []).flatMap((source) =>
          source.secretRef ? [source.secretRef.name] : [],
        ),
      ),
      ...(spec.template.spec.volumes ?? []).flatMap((volume) =>
        volume.secret ? [volume.secret.secretName] : [],
      ),
    ]);

    expect(templates.map((secret) => secret.metadata.name).sort()).toEqual(
      [...new Set(referenced)].sort(),
    );
  });

  it('should leave Secrets out of both overlays so that applying never overwrites real ones', () => {
    expect(ofKind(dev, 'Secret')).toEqual([]);
    expect(ofKind(prod, 'Secret')).toEqual([]);
  });

  it.each(templates.map((template) => [template.metadata.name, template] as const))(
    'should fetch every key of the %s template through an ExternalSecret in prod',
    (name, template) => {
      const external = find<
        KubernetesObject & {
          spec: {
            secretStoreRef: { kind: string; name: string };
            target: { name: string };
            data: { secretKey: string; remoteRef: { key: string; property: string } }[];
          };
        }
      >(prod, 'ExternalSecret', name);

      expect(external.apiVersion).toBe('external-secrets.io/v1');
      expect(external.spec.secretStoreRef.kind).toMatch(/^(Cluster)?SecretStore$/);
      expect(external.spec.target.name).toBe(name);
      expect(external.spec.data.map((entry) => entry.secretKey).sort()).toEqual(
        secretKeys(template),
      );
      for (const entry of external.spec.data) expect(entry.remoteRef.key).toMatch(/\S/);
    },
  );

  it('should point auth-service at its signing key as mounted from its Secret', () => {
    const deployment = find<Deployment>(prod, 'Deployment', 'auth-service');
    const keyFile = configData(prod, 'auth-service-config').SIGNING_KEY_FILE;
    const mount = deployment.spec.template.spec.containers[0].volumeMounts?.find((candidate) =>
      keyFile.startsWith(`${candidate.mountPath}/`),
    );
    const volume = deployment.spec.template.spec.volumes?.find(
      (candidate) => candidate.name === mount?.name,
    );
    const template = find(base, 'Secret', volume?.secret?.secretName ?? '');

    expect(secretKeys(template)).toContain(keyFile.slice((mount?.mountPath.length ?? 0) + 1));
  });

  it('should run in prod the image version the configuration reports', () => {
    const version = configData(prod, 'msmebazaar-config').SERVICE_VERSION;
    const tags = ofKind<Deployment>(prod, 'Deployment').map(
      (deployment) => parseImageReference(deployment.spec.template.spec.containers[0].image).tag,
    );

    expect(tags).toEqual(SERVICES.map(() => version));
  });
});

describe(validateKubernetesObject.name, () => {
  it('should reject an object that breaks the schema', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken' },
      spec: {
        selector: { matchLabels: { app: 'broken' } },
        template: {
          metadata: { labels: { app: 'broken' } },
          spec: {
            containers: [{ name: 'app', image: 'app:1.0.0', ports: [{ containerPort: 'http' }] }],
          },
        },
      },
    };

    expect(() => validateKubernetesObject(broken)).toThrow(/containerPort/);
  });

  it('should refuse a type it has no schema for', () => {
    const object = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };

    expect(() => validateKubernetesObject(object)).toThrow(/no Kubernetes schema/);
  });
});
