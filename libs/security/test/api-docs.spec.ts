import type { INestApplication } from '@nestjs/common';

import { TEST_REDIS_URL, testKeyPrefix } from '../../../test/support/redis';
import { AttackSigner } from './support/attack-tokens';
import { startPipelineApp } from './support/pipeline-app';

describe.each(['fastify', 'express'] as const)('API documentation on %s', (platform) => {
  let signer: AttackSigner;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    signer = await AttackSigner.start();
    ({ app, url } = await startPipelineApp({
      jwksUrl: signer.jwksUrl,
      redisUrl: TEST_REDIS_URL,
      keyPrefix: testKeyPrefix('docs'),
      platform,
      docsEnabled: true,
    }));
  });

  afterAll(async () => {
    await app.close();
    await signer.close();
  });

  it('should serve the OpenAPI document with the routes and both auth schemes', async () => {
    const response = await fetch(`${url}/docs-json`);
    const document = (await response.json()) as {
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };

    expect(response.status).toBe(200);
    expect(Object.keys(document.paths)).toContain('/api/sample/documents/{document_id}');
    expect(Object.keys(document.paths)).not.toContain('/health/live');
    expect(Object.keys(document.components.securitySchemes)).toEqual(
      expect.arrayContaining(['bearer', 'api-key']),
    );
  });

  it('should serve Swagger UI with the security headers', async () => {
    const response = await fetch(`${url}/docs`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
