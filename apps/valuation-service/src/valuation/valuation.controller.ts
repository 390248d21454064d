import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import {
  AcceptApiToken,
  CurrentUser,
  OwnerOf,
  Permissions,
  RateLimit,
  type Principal,
} from '@msmebazaar/security';

import { CreateValuationDto } from './dto/create-valuation.dto';
import { ValuationResponseDto } from './dto/valuation-response.dto';
import { ValuationService } from './valuation.service';

/**
 * Valuations. Every check is declared by decorators and run by the library's guards;
 * whether the caller may value a given MSME is msme-service's answer to their own token.
 */
@ApiTags('valuation')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked token' })
@AcceptApiToken()
@Controller('api/valuation')
export class ValuationController {
  constructor(private readonly valuations: ValuationService) {}

  @Post()
  @Permissions('valuation.create')
  @RateLimit('valuation')
  @ApiOperation({
    summary: 'Value an MSME the caller owns (any MSME for an admin)',
    description:
      'Method `multiples-v1`: sector EBITDA multiple when a positive `ebitda` is given, else ' +
      'sector revenue multiple; adjusted by half the growth rate (clamped to ±50 %); range ' +
      '±15 % (EBITDA) or ±25 % (revenue). Deterministic, whole rupees. Token bucket `valuation`. ' +
      'Answers 404/403 as msme-service does for the MSME, 503 when msme-service is unavailable.',
  })
  @ApiCreatedResponse({ type: ValuationResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  @ApiForbiddenResponse({ description: "Missing valuation.create, or someone else's MSME" })
  @ApiNotFoundResponse({ description: 'No such MSME' })
  @ApiTooManyRequestsResponse({ description: 'Token bucket `valuation` empty; see Retry-After' })
  @ApiServiceUnavailableResponse({ description: 'msme-service unreachable, slow or failing' })
  create(
    @CurrentUser() caller: Principal,
    @Body() body: CreateValuationDto,
  ): Promise<ValuationResponseDto> {
    return this.valuations.create(caller, body);
  }

  @Get(':valuation_id')
  @Permissions('valuation.read')
  @OwnerOf('valuation', 'valuation_id')
  @ApiOperation({ summary: "Read a valuation (the MSME's owner, or an admin)" })
  @ApiOkResponse({ type: ValuationResponseDto })
  @ApiBadRequestResponse({ description: 'valuation_id is not a UUID' })
  @ApiForbiddenResponse({ description: "Missing valuation.read, or someone else's valuation" })
  @ApiNotFoundResponse({ description: 'No such valuation' })
  @ApiTooManyRequestsResponse({ description: 'Policy `api` exceeded; see Retry-After' })
  get(
    @CurrentUser() caller: Principal,
    @Param('valuation_id') id: string,
  ): Promise<ValuationResponseDto> {
    return this.valuations.get(caller, id);
  }
}
