import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';

import { RequestContext, SecurityEventLogger, type Principal } from '@msmebazaar/security';

import type { CreateMsmeDto } from './dto/create-msme.dto';
import type { MsmePageDto } from './dto/msme-response.dto';
import { MsmeResponseDto } from './dto/msme-response.dto';
import type { UpdateMsmeDto } from './dto/update-msme.dto';
import { Msme } from './msme.entity';

const ADMIN_ROLE = 'admin';

/**
 * MSME profiles. Who may call what is decided by the controller's decorators before any
 * method here runs; this service only does the work. Writes go through the repository so
 * the library's audit subscriber records each of them in the same transaction.
 */
@Injectable()
export class MsmeService {
  constructor(
    @InjectRepository(Msme) private readonly msmes: Repository<Msme>,
    private readonly securityEvents: SecurityEventLogger,
  ) {}

  async create(owner: Principal, input: CreateMsmeDto): Promise<MsmeResponseDto> {
    const msme = this.msmes.create({
      ownerId: owner.userId,
      name: input.name,
      industry: input.industry,
      city: input.city,
      state: input.state,
      annualRevenue: input.annual_revenue,
      employees: input.employees,
      yearEstablished: input.year_established,
      gstNumber: input.gst_number ?? null,
    });

    return MsmeResponseDto.from(await this.msmes.save(msme));
  }

  /** The caller's own MSMEs, newest first; every MSME for an admin. */
  async list(caller: Principal, page: number, limit: number): Promise<MsmePageDto> {
    const where = caller.roles.includes(ADMIN_ROLE) ? {} : { ownerId: caller.userId };

    const [rows, total] = await this.msmes.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });

    return { items: rows.map((row) => MsmeResponseDto.from(row)), total, page, limit };
  }

  async get(caller: Principal, id: string): Promise<MsmeResponseDto> {
    const msme = await this.findOrFail(id);

    await this.securityEvents.logDataAccess({
      userId: caller.userId,
      resource: 'msme',
      action: 'read',
      details: { msme_id: id, owner_id: msme.ownerId },
    });
    return MsmeResponseDto.from(msme);
  }

  async update(id: string, changes: UpdateMsmeDto): Promise<MsmeResponseDto> {
    const msme = await this.findOrFail(id);

    this.msmes.merge(msme, {
      name: changes.name,
      industry: changes.industry,
      city: changes.city,
      state: changes.state,
      annualRevenue: changes.annual_revenue,
      employees: changes.employees,
      yearEstablished: changes.year_established,
      gstNumber: changes.gst_number,
    });
    return MsmeResponseDto.from(await this.msmes.save(msme));
  }

  async remove(id: string): Promise<void> {
    const msme = await this.findOrFail(id);

    await this.msmes.softRemove(msme);
  }

  /** Owner lookup for the ownership guard; a soft-deleted MSME no longer exists. */
  async ownerOf(id: string): Promise<string | null> {
    return (await this.findOnce(id))?.ownerId ?? null;
  }

  // The ownership guard has already answered 404 for a missing MSME, except to an admin
  // (who skips the lookup) and for one deleted by a concurrent request in between.
  private async findOrFail(id: string): Promise<Msme> {
    const msme = await this.findOnce(id);
    if (!msme) throw new NotFoundException(`MSME ${id} not found`);
    return msme;
  }

  // The ownership check and the handler share one database read per request.
  private findOnce(id: string): Promise<Msme | null> {
    return RequestContext.once(`msme:${id}`, () => this.msmes.findOneBy({ id }));
  }
}
