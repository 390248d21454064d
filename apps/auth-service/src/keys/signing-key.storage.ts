import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConfigurationError } from '@msmebazaar/security';

import type { SigningKeySource } from '../config/auth.config';

/** The signature algorithm of every token the service issues. */
export const SIGNING_ALGORITHM = 'ES256';

/** File name of the current key inside `SIGNING_KEYS_DIR`. */
export const CURRENT_KEY_FILE = 'signing-key.pem';

/** A loaded private key with its public half and `kid`. */
export interface SigningKeyMaterial {
  kid: string;
  privateKey: KeyObject;
  publicJwk: { kty: string; crv: string; x: string; y: string };
}

/** A new P-256 private key as PKCS#8 PEM. */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * Parses a PKCS#8/SEC1 PEM or a private JWK (JSON) into key material; the `kid` is the
 * RFC 7638 thumbprint of the public key, so the same key always has the same id.
 */
export function signingKeyFromText(text: string, variable: string): SigningKeyMaterial {
  let privateKey: KeyObject;
  try {
    const trimmed = text.trim();
    privateKey = trimmed.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(trimmed), format: 'jwk' })
      : createPrivateKey(trimmed);
  } catch {
    throw new ConfigurationError(variable, 'is not a readable private key (PKCS#8 PEM or JWK)');
  }
  if (
    privateKey.asymmetricKeyType !== 'ec' ||
    privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
  ) {
    throw new ConfigurationError(variable, `must be a P-256 key for ${SIGNING_ALGORITHM}`);
  }
  const jwk = createPublicKey(privateKey).export({
    format: 'jwk',
  }) as SigningKeyMaterial['publicJwk'];
  const publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  return { kid: thumbprintOf(publicJwk), privateKey, publicJwk };
}

function thumbprintOf(jwk: SigningKeyMaterial['publicJwk']): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Loads the current key. In development the key lives in `SIGNING_KEYS_DIR` and is
 * generated on first start; production reads it from configuration only.
 */
export function loadSigningKey(source: SigningKeySource): SigningKeyMaterial {
  switch (source.kind) {
    case 'inline':
      return signingKeyFromText(source.material, 'SIGNING_KEY_PEM');
    case 'file':
      return signingKeyFromText(readKeyFile(source.path), 'SIGNING_KEY_FILE');
    case 'directory': {
      const path = join(source.directory, CURRENT_KEY_FILE);
      if (!existsSync(path)) writeKeyFile(source.directory, generateSigningKeyPem());
      return signingKeyFromText(readFileSync(path, 'utf8'), 'SIGNING_KEYS_DIR');
    }
  }
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigurationError('SIGNING_KEY_FILE', `cannot read ${path}`);
  }
}

/**
 * Writes `pem` as the current key of `directory` (mode 0600), keeping the previous file
 * as `signing-key.<time>.pem` so a rotation can be undone by hand.
 */
export function writeKeyFile(directory: string, pem: string): string {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const path = join(directory, CURRENT_KEY_FILE);
  if (existsSync(path)) renameSync(path, join(directory, `signing-key.${Date.now()}.pem`));
  writeFileSync(path, pem, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
