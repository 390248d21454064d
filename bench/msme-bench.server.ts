/**
 * One server of the msme bench, run as a child process so the load generator does not
 * share its event loop: `BENCH_SERVER` is `msme` or `valuation` (the services as
 * deployed, security module included) or `msme-unprotected` (the same route, entity and
 * database read with no security module at all). Tells the parent its port over IPC.
 */
import type { AddressInfo } from 'node:net';

import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';

import { createSecureApp } from '@msmebazaar/security';

import { AppModule as MsmeAppModule } from '../apps/msme-service/src/app/app.module';
import { msmeServiceConfigFromEnv } from '../apps/msme-service/src/config/msme-service.config';
import { MsmeResponseDto } from '../apps/msme-service/src/msme/dto/msme-response.dto';
import { Msme } from '../apps/msme-service/src/msme/msme.entity';
import { AppModule as ValuationAppModule } from '../apps/valuation-service/src/app/app.module';
import { valuationServiceConfigFromEnv } from '../apps/valuation-service/src/config/valuation-service.config';

@Controller('api/msme')
class UnprotectedMsmeController {
  constructor(@InjectRepository(Msme) private readonly msmes: Repository<Msme>) {}

  @Get(':msme_id')
  async get(@Param('msme_id') id: string): Promise<MsmeResponseDto> {
    const msme = await this.msmes.findOneBy({ id });
    if (!msme) throw new NotFoundException();
    return MsmeResponseDto.from(msme);
  }
}

async function start(kind: string) {
  if (kind === 'msme-unprotected') {
    const database = msmeServiceConfigFromEnv().database;
    @Module({
      imports: [
        TypeOrmModule.forRoot({ ...database, migrationsRun: false }),
        TypeOrmModule.forFeature([Msme]),
      ],
      controllers: [UnprotectedMsmeController],
    })
    class UnprotectedModule {}
    return NestFactory.create(UnprotectedModule, new FastifyAdapter(), { logger: false });
  }
  const root =
    kind === 'msme'
      ? MsmeAppModule.register(msmeServiceConfigFromEnv())
      : ValuationAppModule.register(valuationServiceConfigFromEnv());
  @Module({ imports: [root] })
  class BenchModule {}
  return createSecureApp(BenchModule);
}

start(process.env.BENCH_SERVER ?? 'msme')
  .then(async (app) => {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    process.send?.({ port });
    process.once('disconnect', () => void app.close().then(() => process.exit(0)));
  })
  .catch((error: unknown) => {
    process.stderr.write(`bench server failed: ${String(error)}\n`);
    process.exit(1);
  });
