import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';

import type { KubernetesObject } from './kustomize';

type Validatable = new (data: never) => { validate(): void };

/** Built-in kinds the manifests use, each with its Kubernetes OpenAPI schema. */
const MODELS: Readonly<Record<string, Validatable>> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/**
 * Operator kinds. Their schemas live in the operators' CRDs, which kubernetes-models does not
 * ship (the @kubernetes-models packages for them need a newer base than the 4.x line that
 * runs on Node 20), so the tests check the fields these manifests rely on instead.
 */
export const CUSTOM_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'external-secrets.io/v1/ExternalSecret',
]);

/** `apiVersion/kind`, the key of the tables above. */
export function typeOf(object: Pick<KubernetesObject, 'apiVersion' | 'kind'>): string {
  return `${object.apiVersion}/${object.kind}`;
}

/** Whether the object's type has a Kubernetes schema here. */
export function hasKubernetesSchema(object: KubernetesObject): boolean {
  return typeOf(object) in MODELS;
}

/**
 * Validates a built-in object against the Kubernetes OpenAPI schema.
 *
 * @throws Error naming the first field at fault, or the type when it has no schema here.
 */
export function validateKubernetesObject(object: KubernetesObject): void {
  const Model = MODELS[typeOf(object)];
  if (!Model) throw new Error(`no Kubernetes schema for ${typeOf(object)}`);
  new Model(structuredClone(object) as never).validate();
}
