/**
 * Evaluates NetworkPolicies the way the Kubernetes network model defines them, for the
 * selectors the manifests use (label and namespace selectors, numeric and named ports; no
 * ipBlock peers). A pod selected by no policy of a direction is open in that direction; once
 * selected, only what some rule allows gets through.
 */

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
}

/** The fields of a rendered NetworkPolicy that the evaluation reads. */
export interface NetworkPolicyObject {
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: { from?: PolicyPeer[]; ports?: PolicyPort[] }[];
    egress?: { to?: PolicyPeer[]; ports?: PolicyPort[] }[];
  };
}

/** A pod: where it runs, its labels and its named container ports. */
export interface Pod {
  namespace: string;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
  ports?: { name?: string; containerPort: number }[];
}

/** Something outside the cluster (a managed database, an SMTP relay, the internet). */
export const OUTSIDE_CLUSTER = 'outside-cluster';

/** Whether a label selector selects these labels; the empty selector selects everything. */
export function selects(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  const byExpressions = (selector.matchExpressions ?? []).every(
    ({ key, operator, values = [] }) => {
      switch (operator) {
        case 'In':
          return key in labels && values.includes(labels[key]);
        case 'NotIn':
          return !(key in labels) || !values.includes(labels[key]);
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
      }
    },
  );
  return byLabels && byExpressions;
}

function peerMatches(
  peer: PolicyPeer,
  policyNamespace: string,
  pod: Pod | typeof OUTSIDE_CLUSTER,
): boolean {
  if (pod === OUTSIDE_CLUSTER || peer.ipBlock) return false;
  if (peer.namespaceSelector) {
    return (
      selects(peer.namespaceSelector, pod.namespaceLabels) && selects(peer.podSelector, pod.labels)
    );
  }
  return pod.namespace === policyNamespace && selects(peer.podSelector, pod.labels);
}

function portMatches(
  ports: PolicyPort[] | undefined,
  destination: Pod | typeof OUTSIDE_CLUSTER,
  port: number,
  protocol: string,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'number') return rule.port === port;
    if (destination === OUTSIDE_CLUSTER) return false;
    return (destination.ports ?? []).some(
      (named) => named.name === rule.port && named.containerPort === port,
    );
  });
}

function selecting(policies: NetworkPolicyObject[], pod: Pod, direction: 'Ingress' | 'Egress') {
  return policies.filter(
    (policy) =>
      policy.metadata.namespace === pod.namespace &&
      selects(policy.spec.podSelector, pod.labels) &&
      (policy.spec.policyTypes ?? ['Ingress']).includes(direction),
  );
}

function egressAllowed(
  policies: NetworkPolicyObject[],
  source: Pod,
  destination: Pod | typeof OUTSIDE_CLUSTER,
  port: number,
  protocol: string,
): boolean {
  const applicable = selecting(policies, source, 'Egress');
  if (applicable.length === 0) return true;
  return applicable.some((policy) =>
    (policy.spec.egress ?? []).some(
      (rule) =>
        (!rule.to || rule.to.some((peer) => peerMatches(peer, source.namespace, destination))) &&
        portMatches(rule.ports, destination, port, protocol),
    ),
  );
}

function ingressAllowed(
  policies: NetworkPolicyObject[],
  source: Pod,
  destination: Pod,
  port: number,
  protocol: string,
): boolean {
  const applicable = selecting(policies, destination, 'Ingress');
  if (applicable.length === 0) return true;
  return applicable.some((policy) =>
    (policy.spec.ingress ?? []).some(
      (rule) =>
        (!rule.from ||
          rule.from.some((peer) => peerMatches(peer, destination.namespace, source))) &&
        portMatches(rule.ports, destination, port, protocol),
    ),
  );
}

/** Whether `source` may open a connection to `destination` on `port`. */
export function allowsConnection(
  policies: NetworkPolicyObject[],
  source: Pod,
  destination: Pod | typeof OUTSIDE_CLUSTER,
  port: number,
  protocol = 'TCP',
): boolean {
  if (!egressAllowed(policies, source, destination, port, protocol)) return false;
  return (
    destination === OUTSIDE_CLUSTER || ingressAllowed(policies, source, destination, port, protocol)
  );
}
