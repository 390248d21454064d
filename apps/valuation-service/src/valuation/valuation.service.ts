import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';

import { RequestContext, SecurityEventLogger, type Principal } from '@msmebazaar/security';

import { MsmeClient } from '../msme-client/msme.client';
import type { CreateValuationDto } from './dto/create-valuation.dto';
import { ValuationResponseDto } from './dto/valuation-response.dto';
import { valueBusiness } from './valuation-method';
import { Valuation } from './valuation.entity';

/** Values MSMEs and keeps each result with the inputs that produced it. */
@Injectable()
export class ValuationService {
  constructor(
    @InjectRepository(Valuation) private readonly valuations: Repository<Valuation>,
    private readonly msmes: MsmeClient,
    private readonly securityEvents: SecurityEventLogger,
  ) {}

  /** msme-service decides, with the caller's own token, whether they may see the MSME. */
  async create(caller: Principal, input: CreateValuationDto): Promise<ValuationResponseDto> {
    const msme = await this.msmes.fetch(input.msme_id);
    const result = valueBusiness({
      industry: msme.industry,
      annualRevenueInr: msme.annual_revenue,
      ebitdaInr: input.ebitda,
      growthRatePercent: input.growth_rate,
    });

    const valuation = this.valuations.create({
      msmeId: msme.id,
      ownerId: msme.owner_id,
      requestedBy: caller.userId,
      method: result.method,
      valueInr: result.valueInr,
      lowInr: result.lowInr,
      highInr: result.highInr,
      inputs: result.inputs,
    });
    return ValuationResponseDto.from(await this.valuations.save(valuation));
  }

  async get(caller: Principal, id: string): Promise<ValuationResponseDto> {
    const valuation = await this.findOnce(id);
    if (!valuation) throw new NotFoundException(`Valuation ${id} not found`);

    await this.securityEvents.logDataAccess({
      userId: caller.userId,
      resource: 'valuation',
      action: 'read',
      details: { valuation_id: id, owner_id: valuation.ownerId },
    });
    return ValuationResponseDto.from(valuation);
  }

  /** Owner lookup for the ownership guard. */
  async ownerOf(id: string): Promise<string | null> {
    return (await this.findOnce(id))?.ownerId ?? null;
  }

  // The ownership check and the handler share one database read per request.
  private findOnce(id: string): Promise<Valuation | null> {
    return RequestContext.once(`valuation:${id}`, () => this.valuations.findOneBy({ id }));
  }
}
