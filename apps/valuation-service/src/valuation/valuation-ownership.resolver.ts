import { Injectable } from '@nestjs/common';

import { OwnershipResolverFor, type OwnershipResolver } from '@msmebazaar/security';

import { ValuationService } from './valuation.service';

/** Tells the library's ownership guard who owns a valuation: the valued MSME's owner. */
@Injectable()
@OwnershipResolverFor('valuation')
export class ValuationOwnershipResolver implements OwnershipResolver {
  constructor(private readonly valuations: ValuationService) {}

  ownerOf(valuationId: string): Promise<string | null> {
    return this.valuations.ownerOf(valuationId);
  }
}
