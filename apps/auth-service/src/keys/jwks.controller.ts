import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, RateLimit } from '@msmebazaar/security';

import { SigningKeyService, type PublicJwk } from './signing-key.service';

@ApiTags('keys')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly signingKeys: SigningKeyService) {}

  @Get('jwks.json')
  @Public()
  @RateLimit('api')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'Public ES256 keys by kid',
    description:
      'The current key and every earlier key until the last token it signed has expired.',
  })
  @ApiOkResponse({ description: '{keys: [{kty, crv, x, y, kid, alg, use}]}' })
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: await this.signingKeys.publishedKeys() };
  }
}
