import {
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { DependencyUnavailableException, OutboundHttpClient } from '@msmebazaar/security';

import { MSME_CLIENT_CONFIG, type MsmeClientConfig } from './msme-client.config';

const TARGET = 'msme-service';

/** The fields of an MSME that a valuation needs, as msme-service answers them. */
export interface MsmeSnapshot {
  id: string;
  owner_id: string;
  industry: string;
  annual_revenue: number;
}

/**
 * Reads MSMEs from msme-service as the caller: their token goes along, so msme-service
 * decides whether they may see the MSME and its answer becomes ours (404, 403).
 */
@Injectable()
export class MsmeClient {
  constructor(
    private readonly http: OutboundHttpClient,
    @Inject(MSME_CLIENT_CONFIG) private readonly config: MsmeClientConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MsmeClient.name);
  }

  /**
   * @throws NotFoundException when there is no such MSME.
   * @throws ForbiddenException when the caller may not read it.
   * @throws DependencyUnavailableException when msme-service is down, slow or broken.
   */
  async fetch(msmeId: string): Promise<MsmeSnapshot> {
    const url = `${this.config.baseUrl}/api/msme/${encodeURIComponent(msmeId)}`;
    const answer = await this.http.request<unknown>(url, {
      target: TARGET,
      timeoutMs: this.config.timeoutMs,
    });

    switch (answer.status) {
      case 200:
        return this.snapshotOf(answer.body);
      case 401:
        throw new UnauthorizedException('The token was refused by msme-service');
      case 403:
        throw new ForbiddenException('You may not value this MSME');
      case 404:
        throw new NotFoundException(`MSME ${msmeId} not found`);
      default:
        this.logger.warn({ target: TARGET, status: answer.status }, 'unexpected answer');
        throw new DependencyUnavailableException(TARGET);
    }
  }

  private snapshotOf(body: unknown): MsmeSnapshot {
    const candidate = (body ?? {}) as Partial<Record<keyof MsmeSnapshot, unknown>>;
    const valid =
      typeof candidate.id === 'string' &&
      typeof candidate.owner_id === 'string' &&
      typeof candidate.industry === 'string' &&
      Number.isSafeInteger(candidate.annual_revenue) &&
      (candidate.annual_revenue as number) >= 0;
    if (!valid) {
      this.logger.warn({ target: TARGET }, 'malformed MSME in answer');
      throw new DependencyUnavailableException(TARGET);
    }
    return candidate as MsmeSnapshot;
  }
}
