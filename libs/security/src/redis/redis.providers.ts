import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';

import type { SecurityModuleOptions } from '../config/security-options.interface';
import { SECURITY_OPTIONS, SECURITY_REDIS } from '../security.tokens';
import { createRedisClient, waitUntilReady, type RedisClient } from './redis-client.factory';

const STARTUP_WAIT_MS = 3_000;

/** Closes the shared Redis connection when the application shuts down. */
@Injectable()
export class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(SECURITY_REDIS) private readonly redis: RedisClient | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/** The shared client, or `null` when the options keep state in process. */
export const REDIS_PROVIDERS: Provider[] = [
  {
    provide: SECURITY_REDIS,
    inject: [SECURITY_OPTIONS],
    useFactory: async (options: SecurityModuleOptions): Promise<RedisClient | null> => {
      if (!options.redis) return null;
      const client = createRedisClient(options.redis);
      await waitUntilReady(client, STARTUP_WAIT_MS);
      return client;
    },
  },
  RedisLifecycle,
];
