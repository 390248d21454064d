/**
 * The auth-service of the auth bench, as deployed (security module included), run as a
 * child process so the load generator does not share its event loop. Listens on
 * `PORT` (the parent points `JWKS_URL` at it) and tells the parent over IPC.
 */
import { createSecureApp } from '@msmebazaar/security';

import { AppModule } from '../apps/auth-service/src/app/app.module';

createSecureApp(AppModule)
  .then(async (app) => {
    await app.listen(Number(process.env.PORT), '127.0.0.1');
    process.send?.({ port: Number(process.env.PORT) });
    process.once('disconnect', () => void app.close().then(() => process.exit(0)));
  })
  .catch((error: unknown) => {
    process.stderr.write(`auth bench server failed: ${String(error)}\n`);
    process.exit(1);
  });
