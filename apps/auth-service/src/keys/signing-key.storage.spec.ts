import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigurationError } from '@msmebazaar/security';

import {
  generateSigningKeyPem,
  loadSigningKey,
  signingKeyFromText,
  writeKeyFile,
} from './signing-key.storage';

describe('signing key material', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'signing-key-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('should generate a key on first start and load the same key afterwards', () => {
    const first = loadSigningKey({ kind: 'directory', directory });
    const second = loadSigningKey({ kind: 'directory', directory });

    expect(second.kid).toBe(first.kid);
    expect(first.publicJwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
    });
    expect(statSync(join(directory, 'signing-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('should keep the previous file when rotating', () => {
    const before = loadSigningKey({ kind: 'directory', directory });

    writeKeyFile(directory, generateSigningKeyPem());

    expect(loadSigningKey({ kind: 'directory', directory }).kid).not.toBe(before.kid);
    expect(readdirSync(directory)).toHaveLength(2);
  });

  it('should read a private JWK as well as a PEM, with the same kid', () => {
    const pem = generateSigningKeyPem();
    const jwk = JSON.stringify(createPrivateKey(pem).export({ format: 'jwk' }));

    expect(signingKeyFromText(jwk, 'SIGNING_KEY_PEM').kid).toBe(
      signingKeyFromText(pem, 'SIGNING_KEY_PEM').kid,
    );
  });

  it.each([
    ['garbage', 'not a key'],
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString(),
    ],
  ])('should refuse %s naming the variable', (_case, text) => {
    expect(() => signingKeyFromText(text, 'SIGNING_KEY_PEM')).toThrow(ConfigurationError);
    expect(() => signingKeyFromText(text, 'SIGNING_KEY_PEM')).toThrow(/^SIGNING_KEY_PEM/);
  });
});
