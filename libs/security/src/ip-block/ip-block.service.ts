import { randomUUID } from 'node:crypto';

import { BadRequestException, Injectable } from '@nestjs/common';

import { canonicalIpRange } from '../state/ip-range';
import { SecurityStateStorage, type IpBlock } from '../state/security-state.storage';

/** Blocks addresses and CIDR ranges on every service at once. */
@Injectable()
export class IpBlockService {
  constructor(private readonly state: SecurityStateStorage) {}

  /**
   * Blocks an address or CIDR for `ttlSeconds`.
   *
   * @throws BadRequestException when `ip` is neither an address nor a CIDR.
   */
  async blockIp(ip: string, ttlSeconds: number, reason: string): Promise<IpBlock> {
    const canonical = canonicalIpRange(ip);
    if (!canonical) throw new BadRequestException('ip must be an IP address or a CIDR range');
    const now = Date.now();
    const block: IpBlock = {
      id: randomUUID(),
      ip: canonical,
      reason,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + ttlSeconds * 1000).toISOString(),
    };
    await this.state.write('block', block.id, JSON.stringify(block));
    return block;
  }

  /** Lifts a block; `false` when no active block has that id. */
  async unblockIp(id: string): Promise<boolean> {
    if (!this.state.activeBlocks().some((block) => block.id === id)) return false;
    await this.state.write('unblock', id);
    return true;
  }

  listActive(): IpBlock[] {
    return this.state.activeBlocks();
  }

  /** The active block covering `ip`, if any (local lookup, no round trip). */
  blockCovering(ip: string): IpBlock | undefined {
    return this.state.blockCovering(ip);
  }
}
