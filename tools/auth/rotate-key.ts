/**
 * Rotates auth-service's ES256 signing key.
 *
 *   npm run auth:rotate-key                      development: new key in SIGNING_KEYS_DIR
 *   npm run auth:rotate-key -- --out new-key.pem production: write the new key to a file
 *
 * In development the current key file is replaced (the old one is kept beside it as
 * signing-key.<time>.pem). In production, store the written PEM in the secret behind
 * SIGNING_KEY_FILE or SIGNING_KEY_PEM and restart the instances one by one. Either way
 * the new key signs from the restart on, and the old public key stays in the JWKS (the
 * signing_keys table) until the last token it signed has expired, so no token breaks.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { authConfigFromEnv } from '../../apps/auth-service/src/config/auth.config';
import {
  generateSigningKeyPem,
  signingKeyFromText,
  writeKeyFile,
} from '../../apps/auth-service/src/keys/signing-key.storage';

function main(): void {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { out: { type: 'string' } },
  });
  const pem = generateSigningKeyPem();
  const { kid } = signingKeyFromText(pem, 'generated key');

  if (values.out) {
    writeFileSync(values.out, pem, { mode: 0o600, flag: 'wx' });
    process.stdout.write(
      `new key ${kid} written to ${values.out}; put it in the signing-key secret and restart.\n`,
    );
    return;
  }
  const config = authConfigFromEnv();
  if (config.signingKey.kind !== 'directory') {
    throw new Error('the key comes from SIGNING_KEY_FILE or SIGNING_KEY_PEM: use --out <file>');
  }
  const path = writeKeyFile(config.signingKey.directory, pem);
  process.stdout.write(
    `new key ${kid} written to ${path}; restart auth-service to sign with it.\n`,
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`rotate-key: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
