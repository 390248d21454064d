/**
 * A Kustomize renderer for the features the manifests under k8s/ use, so the tests can
 * build every overlay without kubectl. It follows kustomize's own rules where they matter:
 * transformers run in kustomize's order (patches, namespace, labels, images), files load
 * only from at or below a kustomization's folder, a directory may not include its ancestor,
 * a resource id may not repeat, and a patch that matches nothing is an error. A field it
 * does not implement (commonLabels, JSON 6902 patches, hashed generators, ...) is refused
 * instead of being ignored, so a manifest change it cannot render honestly fails loudly.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';

import { parseAllDocuments } from 'yaml';

import { strategicMerge } from './strategic-merge';

/** One rendered Kubernetes object. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  labels?: {
    pairs: Record<string, string>;
    includeSelectors?: boolean;
    includeTemplates?: boolean;
  }[];
  patches?: { path?: string; patch?: string; target?: PatchTarget }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  configMapGenerator?: {
    name: string;
    behavior?: string;
    files?: string[];
    literals?: string[];
    options?: {
      disableNameSuffixHash?: boolean;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
  }[];
}

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'labels',
  'patches',
  'images',
  'configMapGenerator',
]);

/** Kinds without a namespace among those kustomize knows; unknown kinds count as namespaced. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'ClusterSecretStore',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** A rendering failure; the message names the kustomization or file at fault. */
export class KustomizeError extends Error {}

function fail(directory: string, message: string): never {
  throw new KustomizeError(`${directory}: ${message}`);
}

function isWithin(parent: string, candidate: string): boolean {
  const path = relative(parent, candidate);
  return path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) {
      throw new KustomizeError(`${source}: ${document.errors[0].message}`);
    }
    return document.toJS();
  });
}

function asObjects(documents: unknown[], source: string): KubernetesObject[] {
  return documents
    .filter((document) => document !== null && document !== undefined)
    .map((document) => {
      const object = document as KubernetesObject;
      if (!object.apiVersion || !object.kind || !object.metadata?.name) {
        throw new KustomizeError(
          `${source}: every object needs apiVersion, kind and metadata.name`,
        );
      }
      return object;
    });
}

function readKustomization(directory: string): Kustomization {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((name) => join(directory, name))
    .find((candidate) => existsSync(candidate));
  if (!file) fail(directory, 'no kustomization.yaml');
  const [kustomization] = parseYamlDocuments(readFileSync(file, 'utf8'), file) as Kustomization[];
  for (const field of Object.keys(kustomization)) {
    if (!SUPPORTED_FIELDS.has(field))
      fail(directory, `field "${field}" is not supported by this renderer`);
  }
  return kustomization;
}

/** Kustomize's resource id: group, kind, namespace and name. */
function resourceId(object: KubernetesObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${group}/${object.kind}/${object.metadata.namespace ?? '~'}/${object.metadata.name}`;
}

function loadResources(
  directory: string,
  kustomization: Kustomization,
  ancestors: string[],
): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(directory, entry);
    if (!existsSync(path)) fail(directory, `resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) {
      const cycle = [directory, ...ancestors].find((visited) => isWithin(path, visited));
      if (cycle) fail(directory, `cycle detected: ${entry} contains the visited root ${cycle}`);
      objects.push(...renderDirectory(path, [directory, ...ancestors]));
    } else {
      if (!isWithin(directory, path))
        fail(directory, `security: file ${entry} is not in or below the root`);
      objects.push(...asObjects(parseYamlDocuments(readFileSync(path, 'utf8'), path), path));
    }
  }
  return objects;
}

function generateConfigMaps(directory: string, kustomization: Kustomization): KubernetesObject[] {
  return (kustomization.configMapGenerator ?? []).map((generator) => {
    if (generator.behavior && generator.behavior !== 'create') {
      fail(directory, `configMapGenerator behavior ${generator.behavior} is not supported`);
    }
    if (generator.options?.disableNameSuffixHash !== true) {
      fail(
        directory,
        `configMapGenerator ${generator.name} needs disableNameSuffixHash (no hash suffixes here)`,
      );
    }
    const data: Record<string, string> = {};
    for (const file of generator.files ?? []) {
      const [key, source] = file.includes('=') ? file.split('=', 2) : [basename(file), file];
      const path = resolve(directory, source);
      if (!isWithin(directory, path))
        fail(directory, `security: file ${source} is not in or below the root`);
      if (!existsSync(path)) fail(directory, `configMapGenerator file ${source} does not exist`);
      data[key] = readFileSync(path, 'utf8');
    }
    for (const literal of generator.literals ?? []) {
      const separator = literal.indexOf('=');
      data[literal.slice(0, separator)] = literal.slice(separator + 1);
    }
    const metadata: KubernetesObject['metadata'] = { name: generator.name };
    if (generator.options.labels) metadata.labels = { ...generator.options.labels };
    if (generator.options.annotations) metadata.annotations = { ...generator.options.annotations };
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
  });
}

function matchesLabelSelector(object: KubernetesObject, selector: string): boolean {
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=').map((part) => part.trim());
    return object.metadata.labels?.[key] === value;
  });
}

function matchesTarget(object: KubernetesObject, target: PatchTarget): boolean {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const exact = (pattern: string | undefined, value: string | undefined) =>
    pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value ?? '');
  return (
    exact(target.group, group) &&
    exact(target.version, version) &&
    exact(target.kind, object.kind) &&
    exact(target.name, object.metadata.name) &&
    exact(target.namespace, object.metadata.namespace) &&
    (target.labelSelector === undefined || matchesLabelSelector(object, target.labelSelector))
  );
}

function applyPatches(
  directory: string,
  kustomization: Kustomization,
  objects: KubernetesObject[],
): KubernetesObject[] {
  let result = objects;
  for (const entry of kustomization.patches ?? []) {
    const source = entry.path ? resolve(directory, entry.path) : `${directory} (inline patch)`;
    if (entry.path && !isWithin(directory, source))
      fail(directory, `security: patch ${entry.path} is outside the root`);
    const text = entry.path ? readFileSync(source, 'utf8') : (entry.patch ?? '');
    const documents = parseYamlDocuments(text, source);
    if (documents.length !== 1 || Array.isArray(documents[0])) {
      fail(directory, `${source}: only single-document strategic merge patches are supported`);
    }
    const patch = documents[0] as KubernetesObject & { $patch?: string };
    const target: PatchTarget = entry.target ?? {
      kind: patch.kind,
      name: patch.metadata?.name,
      namespace: patch.metadata?.namespace,
    };
    const matched = result.filter((object) => matchesTarget(object, target));
    if (matched.length === 0) fail(directory, `${source}: the patch matches no resource`);
    if (patch.$patch === 'delete') {
      result = result.filter((object) => !matched.includes(object));
      continue;
    }
    result = result.map((object) => {
      if (!matched.includes(object)) return object;
      // A targeted patch applies to every match, whatever name the patch itself carries.
      const body: Partial<KubernetesObject> = structuredClone(patch);
      delete body.apiVersion;
      delete body.kind;
      if (body.metadata) body.metadata = { ...body.metadata, name: object.metadata.name };
      if (body.metadata && object.metadata.namespace)
        body.metadata.namespace = object.metadata.namespace;
      return strategicMerge(object, body);
    });
  }
  return result;
}

function setNamespace(
  kustomization: Kustomization,
  objects: KubernetesObject[],
): KubernetesObject[] {
  const namespace = kustomization.namespace;
  if (!namespace) return objects;
  return objects.map((object) =>
    CLUSTER_SCOPED_KINDS.has(object.kind)
      ? object
      : { ...object, metadata: { ...object.metadata, namespace } },
  );
}

function podTemplateMetadata(
  object: KubernetesObject,
): { labels?: Record<string, string> } | undefined {
  if (!POD_TEMPLATE_KINDS.has(object.kind)) return undefined;
  const spec = object.spec as
    { template?: { metadata?: { labels?: Record<string, string> } } } | undefined;
  return spec?.template?.metadata;
}

function addLabels(
  directory: string,
  kustomization: Kustomization,
  objects: KubernetesObject[],
): KubernetesObject[] {
  let result = objects;
  for (const entry of kustomization.labels ?? []) {
    // Selectors are immutable in a cluster and their field list is long; not needed here.
    if (entry.includeSelectors) fail(directory, 'labels.includeSelectors is not supported');
    result = result.map((original) => {
      const object = structuredClone(original);
      object.metadata.labels = { ...object.metadata.labels, ...entry.pairs };
      const template = entry.includeTemplates ? podTemplateMetadata(object) : undefined;
      if (template) template.labels = { ...template.labels, ...entry.pairs };
      return object;
    });
  }
  return result;
}

/** Splits `registry/name:tag@digest` into its name, tag and digest. */
export function parseImageReference(reference: string): {
  name: string;
  tag?: string;
  digest?: string;
} {
  const [withoutDigest, digest] = reference.split('@');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon === -1) return { name: withoutDigest, digest };
  return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
}

/** The containers of a pod template, for every workload kind that has one. */
export function podContainers(object: KubernetesObject): { name: string; image: string }[] {
  const spec = (
    object.kind === 'Pod'
      ? object.spec
      : (object.spec as { template?: { spec?: unknown } })?.template?.spec
  ) as
    | {
        containers?: { name: string; image: string }[];
        initContainers?: { name: string; image: string }[];
      }
    | undefined;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}

function setImages(kustomization: Kustomization, objects: KubernetesObject[]): KubernetesObject[] {
  const images = kustomization.images ?? [];
  if (images.length === 0) return objects;
  return objects.map((original) => {
    const object = structuredClone(original);
    for (const container of podContainers(object)) {
      const current = parseImageReference(container.image);
      const image = images.find((candidate) => candidate.name === current.name);
      if (!image) continue;
      const name = image.newName ?? current.name;
      if (image.digest) container.image = `${name}@${image.digest}`;
      else if (image.newTag) container.image = `${name}:${image.newTag}`;
      else
        container.image = `${name}${current.tag ? `:${current.tag}` : ''}${current.digest ? `@${current.digest}` : ''}`;
    }
    return object;
  });
}

function refuseDuplicates(directory: string, objects: KubernetesObject[]): void {
  const seen = new Set<string>();
  for (const object of objects) {
    const id = resourceId(object);
    if (seen.has(id)) fail(directory, `may not add resource with an already registered id: ${id}`);
    seen.add(id);
  }
}

function renderDirectory(directory: string, ancestors: string[]): KubernetesObject[] {
  const kustomization = readKustomization(directory);
  let objects = [
    ...loadResources(directory, kustomization, ancestors),
    ...generateConfigMaps(directory, kustomization),
  ];
  refuseDuplicates(directory, objects);
  objects = applyPatches(directory, kustomization, objects);
  objects = setNamespace(kustomization, objects);
  objects = addLabels(directory, kustomization, objects);
  objects = setImages(kustomization, objects);
  refuseDuplicates(directory, objects);
  return objects;
}

/** Renders the kustomization in `directory` as `kubectl kustomize <directory>` would. */
export function kustomize(directory: string): KubernetesObject[] {
  return renderDirectory(resolve(directory), []);
}
