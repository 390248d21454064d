import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { MsmeOwnershipResolver } from './msme-ownership.resolver';
import { MsmeController } from './msme.controller';
import { Msme } from './msme.entity';
import { MsmeService } from './msme.service';

@Module({
  imports: [TypeOrmModule.forFeature([Msme])],
  controllers: [MsmeController],
  providers: [MsmeService, MsmeOwnershipResolver],
})
export class MsmeModule {}
