import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { kustomize, KustomizeError, parseImageReference } from './support/kustomize';
import type { KubernetesObject } from './support/kustomize';
import { strategicMerge } from './support/strategic-merge';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: example/web:1.0.0
          env:
            - name: A
              value: a
            - name: B
              value: b
        - name: sidecar
          image: example/sidecar:2.0.0
`;

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LEVEL: info
  MODE: base
`;

const BASE = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - config.yaml
`;

describe(kustomize.name, () => {
  const roots: string[] = [];

  /** Writes the files under a new temporary folder and returns it. */
  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'msb-kustomize-'));
    roots.push(root);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return root;
  }

  function find(
    objects: KubernetesObject[],
    kind: string,
    name: string,
  ): KubernetesObject & { spec?: never } {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    if (!found) throw new Error(`${kind} ${name} missing`);
    return found as KubernetesObject & { spec?: never };
  }

  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  describe('resources and transformers', () => {
    it('should render files and nested kustomizations in order', () => {
      const root = tree({
        'base/kustomization.yaml': BASE,
        'base/deployment.yaml': DEPLOYMENT,
        'base/config.yaml': CONFIG_MAP,
        'kustomization.yaml': 'resources:\n  - base\n',
      });

      const objects = kustomize(root);

      expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
        'Deployment/web',
        'ConfigMap/settings',
      ]);
    });

    it('should set the namespace and the labels of every object, and template labels only when asked', () => {
      const root = tree({
        'kustomization.yaml': `${BASE}namespace: shop\nlabels:\n  - pairs:\n      team: a\n  - pairs:\n      tier: web\n    includeTemplates: true\n`,
        'deployment.yaml': DEPLOYMENT,
        'config.yaml': CONFIG_MAP,
      });

      const objects = kustomize(root);
      const deployment = find(objects, 'Deployment', 'web') as unknown as {
        metadata: KubernetesObject['metadata'];
        spec: { selector: object; template: { metadata: { labels: object } } };
      };

      expect(objects.map((object) => object.metadata.namespace)).toEqual(['shop', 'shop']);
      expect(deployment.metadata.labels).toEqual({ team: 'a', tier: 'web' });
      expect(deployment.spec.template.metadata.labels).toEqual({ app: 'web', tier: 'web' });
      expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    });

    it('should override image tags, names and digests by image name', () => {
      const root = tree({
        'kustomization.yaml': `${BASE}images:\n  - name: example/web\n    newName: registry.local/web\n    newTag: 1.2.3\n  - name: example/sidecar\n    digest: sha256:${'a'.repeat(64)}\n`,
        'deployment.yaml': DEPLOYMENT,
        'config.yaml': CONFIG_MAP,
      });

      const deployment = find(kustomize(root), 'Deployment', 'web') as unknown as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      };

      expect(deployment.spec.template.spec.containers.map((container) => container.image)).toEqual([
        'registry.local/web:1.2.3',
        `example/sidecar@sha256:${'a'.repeat(64)}`,
      ]);
    });

    it('should merge a patch found by kind and name, list items by their merge key', () => {
      const patch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - name: B
              value: changed
            - name: C
              value: c
`;
      const root = tree({
        'kustomization.yaml': `${BASE}patches:\n  - path: patch.yaml\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: settings\n      data:\n        MODE: null\n        EXTRA: 'yes'\n`,
        'deployment.yaml': DEPLOYMENT,
        'config.yaml': CONFIG_MAP,
        'patch.yaml': patch,
      });

      const objects = kustomize(root);
      const deployment = find(objects, 'Deployment', 'web') as unknown as {
        spec: { template: { spec: { containers: { name: string; env?: object[] }[] } } };
      };

      expect(deployment.spec.template.spec.containers.map((container) => container.name)).toEqual([
        'web',
        'sidecar',
      ]);
      expect(deployment.spec.template.spec.containers[0].env).toEqual([
        { name: 'A', value: 'a' },
        { name: 'B', value: 'changed' },
        { name: 'C', value: 'c' },
      ]);
      expect((find(objects, 'ConfigMap', 'settings') as unknown as { data: object }).data).toEqual({
        LEVEL: 'info',
        EXTRA: 'yes',
      });
    });

    it('should apply a targeted patch to every match and delete with $patch: delete', () => {
      const second = CONFIG_MAP.replace('name: settings', 'name: other');
      const root = tree({
        'kustomization.yaml': `${BASE}  - second.yaml\npatches:\n  - target:\n      kind: ConfigMap\n    patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: any\n      data:\n        LEVEL: debug\n  - target:\n      kind: Deployment\n    patch: |-\n      $patch: delete\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: any\n`,
        'deployment.yaml': DEPLOYMENT,
        'config.yaml': CONFIG_MAP,
        'second.yaml': second,
      });

      const objects = kustomize(root);

      expect(objects.map((object) => object.metadata.name)).toEqual(['settings', 'other']);
      expect(
        objects.map((object) => (object as unknown as { data: { LEVEL: string } }).data.LEVEL),
      ).toEqual(['debug', 'debug']);
    });

    it('should generate a ConfigMap from files and literals without a hash suffix', () => {
      const root = tree({
        'kustomization.yaml':
          'configMapGenerator:\n  - name: dashboards\n    files:\n      - boards/one.json\n      - renamed.json=boards/two.json\n    literals:\n      - KEY=a=b\n    options:\n      disableNameSuffixHash: true\n      labels:\n        grafana_dashboard: "1"\n',
        'boards/one.json': '{"one":1}',
        'boards/two.json': '{"two":2}',
      });

      const [configMap] = kustomize(root) as (KubernetesObject & { data: object })[];

      expect(configMap.metadata).toEqual({
        name: 'dashboards',
        labels: { grafana_dashboard: '1' },
      });
      expect(configMap.data).toEqual({
        'one.json': '{"one":1}',
        'renamed.json': '{"two":2}',
        KEY: 'a=b',
      });
    });
  });

  describe('refusals', () => {
    it.each([
      [
        'an unsupported field',
        { 'kustomization.yaml': 'commonLabels:\n  a: b\n' },
        /field "commonLabels" is not supported/,
      ],
      [
        'a file outside the root',
        { 'app/kustomization.yaml': 'resources:\n  - ../config.yaml\n', 'config.yaml': CONFIG_MAP },
        /is not in or below the root/,
      ],
      [
        'an ancestor folder as a resource',
        {
          'kustomization.yaml': 'resources: []\n',
          'overlay/kustomization.yaml': 'resources:\n  - ..\n',
        },
        /cycle detected/,
      ],
      [
        'the same object twice',
        {
          'kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\n',
          'a.yaml': CONFIG_MAP,
          'b.yaml': CONFIG_MAP,
        },
        /already registered id/,
      ],
      [
        'a patch that matches nothing',
        {
          'kustomization.yaml': `${BASE}patches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: missing\n`,
          'deployment.yaml': DEPLOYMENT,
          'config.yaml': CONFIG_MAP,
        },
        /matches no resource/,
      ],
      [
        'a generator with a hash suffix',
        { 'kustomization.yaml': 'configMapGenerator:\n  - name: x\n    literals:\n      - A=b\n' },
        /disableNameSuffixHash/,
      ],
      [
        'labels on selectors',
        { 'kustomization.yaml': 'labels:\n  - pairs:\n      a: b\n    includeSelectors: true\n' },
        /includeSelectors is not supported/,
      ],
      [
        'a missing resource',
        { 'kustomization.yaml': 'resources:\n  - nowhere.yaml\n' },
        /does not exist/,
      ],
    ])('should refuse %s', (_title, files, message) => {
      const root = tree(files);
      // Render the nested kustomization when there is one: the refusal concerns its parent.
      const entry = Object.keys(files).find(
        (path) => path.endsWith('kustomization.yaml') && path.includes('/'),
      );
      const directory = entry ? join(root, dirname(entry)) : root;

      expect(() => kustomize(directory)).toThrow(KustomizeError);
      expect(() => kustomize(directory)).toThrow(message);
    });
  });
});

describe(strategicMerge.name, () => {
  it('should merge Service ports on port and replace lists without a merge key', () => {
    const service = { spec: { ports: [{ port: 80, name: 'http' }], externalIPs: ['1.1.1.1'] } };

    const merged = strategicMerge(service, {
      spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }], externalIPs: ['2.2.2.2'] },
    });

    expect(merged).toEqual({
      spec: {
        ports: [{ port: 80, name: 'http', targetPort: 8080 }, { port: 443 }],
        externalIPs: ['2.2.2.2'],
      },
    });
    expect(service.spec.ports).toEqual([{ port: 80, name: 'http' }]);
  });

  it('should refuse directives it does not implement', () => {
    expect(() => strategicMerge({ spec: {} }, { spec: { $patch: 'replace' } })).toThrow(
      /unsupported/,
    );
  });
});

describe(parseImageReference.name, () => {
  it.each([
    ['node:26.13.0-trixie-slim', { name: 'node', tag: '26.13.0-trixie-slim' }],
    ['localhost:5000/team/web:1.0', { name: 'localhost:5000/team/web', tag: '1.0' }],
    ['web@sha256:abc', { name: 'web', digest: 'sha256:abc' }],
    ['localhost:5000/web', { name: 'localhost:5000/web' }],
  ])('should split %s', (reference, expected) => {
    expect(parseImageReference(reference)).toEqual({
      tag: undefined,
      digest: undefined,
      ...expected,
    });
  });
});
