import { kustomize } from './support/kustomize';
import type { KubernetesObject } from './support/kustomize';
import { allowsConnection, OUTSIDE_CLUSTER } from './support/network-policy';
import type { NetworkPolicyObject, Pod } from './support/network-policy';
import { repositoryPath, SERVICES } from './support/repository';

interface Connection {
  title: string;
  source: Pod;
  destination: Pod | typeof OUTSIDE_CLUSTER;
  port: number;
  protocol: 'TCP' | 'UDP';
  allowed: boolean;
}

interface Deployment extends KubernetesObject {
  spec: {
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: { ports?: { name?: string; containerPort: number }[] }[] };
    };
  };
}

function otherPod(namespace: string, labels: Record<string, string> = {}): Pod {
  return { namespace, namespaceLabels: { 'kubernetes.io/metadata.name': namespace }, labels };
}

describe.each(['k8s/overlays/dev', 'k8s/overlays/prod'])('NetworkPolicies of %s', (directory) => {
  const objects = kustomize(repositoryPath(directory));
  const policies = objects.filter(
    (object) => object.kind === 'NetworkPolicy',
  ) as unknown as NetworkPolicyObject[];
  const namespace = policies[0].metadata.namespace ?? '';

  const pods: Record<string, Pod> = Object.fromEntries(
    SERVICES.map(({ name }) => {
      const deployment = objects.find(
        (object) => object.kind === 'Deployment' && object.metadata.name === name,
      ) as Deployment;
      return [
        name,
        {
          ...otherPod(namespace, deployment.spec.template.metadata.labels),
          ports: deployment.spec.template.spec.containers.flatMap(
            (container) => container.ports ?? [],
          ),
        },
      ];
    }),
  );
  const ingressController = otherPod('ingress-nginx', {
    'app.kubernetes.io/name': 'ingress-nginx',
  });
  const prometheus = otherPod('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
  const grafana = otherPod('monitoring', { 'app.kubernetes.io/name': 'grafana' });
  const strangerInNamespace = otherPod(namespace, { app: 'debug-shell' });
  const strangerElsewhere = otherPod('default', { app: 'curl' });
  const dns = otherPod('kube-system', { 'k8s-app': 'kube-dns' });

  const { 'auth-service': auth, 'msme-service': msme, 'valuation-service': valuation } = pods;

  it('should deny everything by default in both directions', () => {
    const defaultDeny = policies.find(
      (policy) =>
        Object.keys(policy.spec.podSelector).length === 0 &&
        !policy.spec.ingress &&
        !policy.spec.egress &&
        policy.spec.policyTypes?.includes('Ingress') &&
        policy.spec.policyTypes.includes('Egress'),
    );

    expect(defaultDeny).toBeDefined();
  });

  const table: Connection[] = [
    {
      title: 'the ingress controller → auth-service',
      source: ingressController,
      destination: auth,
      port: 8001,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'the ingress controller → msme-service',
      source: ingressController,
      destination: msme,
      port: 8002,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'the ingress controller → valuation-service',
      source: ingressController,
      destination: valuation,
      port: 8003,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'Prometheus → auth-service /metrics',
      source: prometheus,
      destination: auth,
      port: 8001,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'Prometheus → msme-service /metrics',
      source: prometheus,
      destination: msme,
      port: 8002,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'Prometheus → valuation-service /metrics',
      source: prometheus,
      destination: valuation,
      port: 8003,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'valuation-service → msme-service',
      source: valuation,
      destination: msme,
      port: 8002,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'valuation-service → auth-service (JWKS)',
      source: valuation,
      destination: auth,
      port: 8001,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'msme-service → auth-service (JWKS)',
      source: msme,
      destination: auth,
      port: 8001,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'every service → Postgres',
      source: msme,
      destination: OUTSIDE_CLUSTER,
      port: 5432,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'auth-service → Redis',
      source: auth,
      destination: OUTSIDE_CLUSTER,
      port: 6379,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'valuation-service → Redis',
      source: valuation,
      destination: OUTSIDE_CLUSTER,
      port: 6379,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'auth-service → SMTP submission',
      source: auth,
      destination: OUTSIDE_CLUSTER,
      port: 587,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'auth-service → cluster DNS over UDP',
      source: auth,
      destination: dns,
      port: 53,
      protocol: 'UDP',
      allowed: true,
    },
    {
      title: 'valuation-service → cluster DNS over TCP',
      source: valuation,
      destination: dns,
      port: 53,
      protocol: 'TCP',
      allowed: true,
    },
    {
      title: 'msme-service → valuation-service',
      source: msme,
      destination: valuation,
      port: 8003,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'auth-service → msme-service',
      source: auth,
      destination: msme,
      port: 8002,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'auth-service → valuation-service',
      source: auth,
      destination: valuation,
      port: 8003,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'msme-service → SMTP',
      source: msme,
      destination: OUTSIDE_CLUSTER,
      port: 587,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'auth-service → the internet over HTTPS',
      source: auth,
      destination: OUTSIDE_CLUSTER,
      port: 443,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'valuation-service → the internet over HTTP',
      source: valuation,
      destination: OUTSIDE_CLUSTER,
      port: 80,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'Grafana → msme-service',
      source: grafana,
      destination: msme,
      port: 8002,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'a pod of another namespace → auth-service',
      source: strangerElsewhere,
      destination: auth,
      port: 8001,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'an unlabelled pod of the namespace → msme-service',
      source: strangerInNamespace,
      destination: msme,
      port: 8002,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'an unlabelled pod of the namespace → Postgres',
      source: strangerInNamespace,
      destination: OUTSIDE_CLUSTER,
      port: 5432,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'the ingress controller → auth-service on another port',
      source: ingressController,
      destination: auth,
      port: 9229,
      protocol: 'TCP',
      allowed: false,
    },
    {
      title: 'the ingress controller → the namespace over UDP',
      source: ingressController,
      destination: auth,
      port: 8001,
      protocol: 'UDP',
      allowed: false,
    },
  ];

  it.each(table.map((row) => ({ ...row, verb: row.allowed ? 'allow' : 'refuse' })))(
    'should $verb $title',
    ({ source, destination, port, protocol, allowed }) => {
      expect(allowsConnection(policies, source, destination, port, protocol)).toBe(allowed);
    },
  );
});
