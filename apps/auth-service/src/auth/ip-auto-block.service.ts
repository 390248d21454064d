import { Inject, Injectable } from '@nestjs/common';
import { IpBlockService, SECURITY_REDIS, SecurityEventLogger } from '@msmebazaar/security';
import type { Cluster, Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';

import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config';

/** Counts, then expires the window on the first failure only (a fixed window). */
const COUNT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

/**
 * Blocks a client IP after `IP_AUTO_BLOCK` failed logins within the window. The count
 * lives in Redis so every instance sees the same total; a Redis outage leaves logins
 * unblocked rather than failing them (the account lockout still holds).
 */
@Injectable()
export class IpAutoBlockService {
  private readonly localCounts = new Map<string, { count: number; resetAtMs: number }>();

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(SECURITY_REDIS) private readonly redis: Redis | Cluster | null,
    private readonly ipBlocks: IpBlockService,
    private readonly events: SecurityEventLogger,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(IpAutoBlockService.name);
  }

  async recordFailedLogin(ip: string | undefined): Promise<void> {
    if (!ip) return;
    const { failedLogins, windowSeconds, blockSeconds } = this.config.ipAutoBlock;
    const count = await this.increment(ip, windowSeconds);
    if (count !== failedLogins) return;

    const reason = `automatic: ${failedLogins} failed logins within ${windowSeconds} s`;
    await this.ipBlocks.blockIp(ip, blockSeconds, reason);
    await this.events.logIpBlocked({
      ipAddress: ip,
      action: 'auto_block',
      details: { reason, block_seconds: blockSeconds },
    });
  }

  private async increment(ip: string, windowSeconds: number): Promise<number> {
    if (!this.redis) return this.incrementLocally(ip, windowSeconds);
    try {
      const count = await this.redis.eval(
        COUNT_SCRIPT,
        1,
        `auth:failed-logins:${ip}`,
        windowSeconds,
      );
      return Number(count);
    } catch (error) {
      this.logger.warn({ err: error }, 'failed-login counter unavailable; IP auto-block skipped');
      return 0;
    }
  }

  private incrementLocally(ip: string, windowSeconds: number): number {
    const now = Date.now();
    const entry = this.localCounts.get(ip);
    if (!entry || entry.resetAtMs <= now) {
      this.localCounts.set(ip, { count: 1, resetAtMs: now + windowSeconds * 1000 });
      return 1;
    }
    entry.count += 1;
    return entry.count;
  }
}
