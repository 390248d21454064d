import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { parse, parseAllDocuments } from 'yaml';

/** The repository root, whichever folder Jest was started from. */
export const REPOSITORY_ROOT = resolve(__dirname, '../../..');

/** An absolute path from a repository-relative one. */
export function repositoryPath(...segments: string[]): string {
  return join(REPOSITORY_ROOT, ...segments);
}

/** Reads a repository file as text. */
export function readRepositoryFile(...segments: string[]): string {
  return readFileSync(repositoryPath(...segments), 'utf8');
}

/** Parses a single-document YAML file; `merge` resolves `<<` keys as Compose does. */
export function readYaml<T>(path: string, options: { merge?: boolean } = {}): T {
  return parse(readRepositoryFile(path), { merge: options.merge ?? false }) as T;
}

/** Parses every document of a YAML file, skipping empty ones. */
export function readYamlDocuments<T>(path: string): T[] {
  return parseAllDocuments(readRepositoryFile(path))
    .map((document) => document.toJS() as T)
    .filter((document) => document !== null);
}

/** The services of the HTTP contract and their ports. */
export const SERVICES = [
  { name: 'auth-service', port: 8001 },
  { name: 'msme-service', port: 8002 },
  { name: 'valuation-service', port: 8003 },
] as const;
