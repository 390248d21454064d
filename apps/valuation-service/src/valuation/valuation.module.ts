import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { OutboundHttpClient } from '@msmebazaar/security';

import { MSME_CLIENT_CONFIG, type MsmeClientConfig } from '../msme-client/msme-client.config';
import { MsmeClient } from '../msme-client/msme.client';
import { ValuationOwnershipResolver } from './valuation-ownership.resolver';
import { ValuationController } from './valuation.controller';
import { Valuation } from './valuation.entity';
import { ValuationService } from './valuation.service';

@Module({})
export class ValuationModule {
  static register(msmeClient: MsmeClientConfig): DynamicModule {
    return {
      module: ValuationModule,
      imports: [TypeOrmModule.forFeature([Valuation])],
      controllers: [ValuationController],
      providers: [
        ValuationService,
        ValuationOwnershipResolver,
        MsmeClient,
        OutboundHttpClient,
        { provide: MSME_CLIENT_CONFIG, useValue: msmeClient },
      ],
    };
  }
}
