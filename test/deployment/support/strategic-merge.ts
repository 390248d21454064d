/**
 * The part of Kubernetes' strategic merge patch that the manifests of this repository use:
 * maps merge recursively, `null` removes a key, lists of objects with a known merge key
 * merge item by item, every other list is replaced. Directives other than a top-level
 * `$patch: delete` (handled by the caller) are refused rather than misapplied.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Merge keys of the Kubernetes API's mergeable lists, by field name. */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Container ports merge on containerPort, Service ports on port. */
function mergeKeyFor(field: string, path: readonly string[]): string | undefined {
  if (field === 'ports') return path.includes('containers') ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

function refuseDirectives(patch: JsonObject, path: readonly string[]): void {
  const directive = Object.keys(patch).find((key) => key.startsWith('$'));
  if (directive) {
    throw new Error(
      `unsupported strategic merge directive ${directive} at ${path.join('.') || '<root>'}`,
    );
  }
}

function mergeList(
  original: Json[],
  patch: Json[],
  mergeKey: string,
  path: readonly string[],
): Json[] {
  const merged = [...original];
  for (const item of patch) {
    if (!isObject(item) || item[mergeKey] === undefined) {
      throw new Error(`list item at ${path.join('.')} lacks its merge key ${mergeKey}`);
    }
    const index = merged.findIndex(
      (existing) => isObject(existing) && existing[mergeKey] === item[mergeKey],
    );
    if (index === -1) merged.push(item);
    else merged[index] = mergeValue(merged[index], item, path);
  }
  return merged;
}

function mergeValue(original: Json | undefined, patch: Json, path: readonly string[]): Json {
  if (!isObject(patch) || !isObject(original)) return patch;
  refuseDirectives(patch, path);
  const merged: JsonObject = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    const fieldPath = [...path, key];
    const mergeKey = mergeKeyFor(key, path);
    if (value === null) delete merged[key];
    else if (Array.isArray(value) && Array.isArray(merged[key]) && mergeKey) {
      merged[key] = mergeList(merged[key] as Json[], value, mergeKey, fieldPath);
    } else merged[key] = mergeValue(merged[key], value, fieldPath);
  }
  return merged;
}

/** Applies `patch` to `original` and returns the result; neither argument is changed. */
export function strategicMerge<T extends object>(original: T, patch: object): T {
  return mergeValue(
    structuredClone(original) as JsonObject,
    structuredClone(patch) as Json,
    [],
  ) as T;
}
