import { Injectable } from '@nestjs/common';

import { OwnershipResolverFor, type OwnershipResolver } from '@msmebazaar/security';

import { MsmeService } from './msme.service';

/** Tells the library's ownership guard who owns an MSME (`@OwnerOf('msme', ...)`). */
@Injectable()
@OwnershipResolverFor('msme')
export class MsmeOwnershipResolver implements OwnershipResolver {
  constructor(private readonly msmes: MsmeService) {}

  ownerOf(msmeId: string): Promise<string | null> {
    return this.msmes.ownerOf(msmeId);
  }
}
