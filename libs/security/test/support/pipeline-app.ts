import {
  Body,
  Controller,
  Delete,
  Get,
  Injectable,
  InternalServerErrorException,
  Module,
  Param,
  Post,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsInt, IsString, Max, Min } from 'class-validator';
import type { INestApplication } from '@nestjs/common';

import {
  AcceptApiToken,
  CurrentUser,
  DEFAULT_RATE_LIMIT_POLICIES,
  OwnerOf,
  OwnershipResolverFor,
  Permissions,
  Public,
  RateLimit,
  Roles,
  SecurityModule,
  createSecureApp,
  type HttpPlatform,
  type OwnershipResolver,
  type Principal,
  type SecurityModuleOptions,
} from '@msmebazaar/security';

/** Ids of documents and their owners, filled by each test. */
export const documentOwners = new Map<string, string>();

class CreateNoteDto {
  @IsString()
  title!: string;

  @IsInt()
  @Min(0)
  @Max(1000)
  stars!: number;
}

@Injectable()
@OwnershipResolverFor('document')
class DocumentOwnershipResolver implements OwnershipResolver {
  async ownerOf(id: string): Promise<string | null> {
    return documentOwners.get(id) ?? null;
  }
}

@Controller('api/sample')
class SampleController {
  @Get('me')
  me(@CurrentUser() user: Principal) {
    return { user_id: user.userId, token_type: user.tokenType };
  }

  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @AcceptApiToken()
  @Permissions('msme.read')
  @Get('reports')
  reports(@CurrentUser() user: Principal) {
    return { user_id: user.userId };
  }

  @Roles('admin')
  @Get('admin')
  admin() {
    return { admin: true };
  }

  @Permissions('msme.write', 'msme.delete')
  @Post('notes')
  create(@Body() body: CreateNoteDto) {
    return { title: body.title, stars: body.stars };
  }

  @Permissions('msme.read')
  @OwnerOf('document', 'document_id')
  @Get('documents/:document_id')
  document(@Param('document_id') id: string) {
    return { id };
  }

  @Permissions('msme.delete')
  @OwnerOf('document', 'document_id', { adminBypass: false })
  @Delete('documents/:document_id')
  remove(@Param('document_id') id: string) {
    return { deleted: id };
  }

  @Get('boom')
  boom(): never {
    throw new Error('database password=hunter2 leaked in a stack');
  }

  @Get('server-error')
  serverError(): never {
    throw new InternalServerErrorException('internal detail that must not leak');
  }
}

@Public()
@Controller('api/catalogue')
class PublicCatalogueController {
  @Get()
  list() {
    return { items: [] };
  }

  @Permissions('msme.write')
  @Post()
  add() {
    return { added: true };
  }
}

/** One handler behind two routes, whose class-level decorators differ. */
abstract class StatusController {
  @Get()
  status() {
    return { ok: true };
  }
}

@Public()
@Controller('api/public-status')
class PublicStatusController extends StatusController {}

@RateLimit('auth')
@Controller('api/guarded-status')
class GuardedStatusController extends StatusController {}

@Controller('api/plain-status')
class PlainStatusController extends StatusController {}

/** Options of a pipeline test app. */
export interface PipelineAppSettings {
  jwksUrl: string;
  redisUrl: string | null;
  redisClusterNodes?: string[];
  keyPrefix: string;
  platform?: HttpPlatform;
  environment?: SecurityModuleOptions['environment'];
  trustProxy?: number;
  logStream?: NodeJS.WritableStream;
  logLevel?: string;
  docsEnabled?: boolean;
}

/** The library's options for a test app. */
export function pipelineOptions(settings: PipelineAppSettings): SecurityModuleOptions {
  return {
    serviceName: 'pipeline-test',
    serviceVersion: '0.0.0-test',
    environment: settings.environment ?? 'test',
    logLevel: settings.logLevel ?? (settings.logStream ? 'info' : 'silent'),
    jwt: {
      issuer: 'msmebazaar.com',
      audience: 'msmebazaar-api',
      algorithm: 'ES256',
      jwksUrl: settings.jwksUrl,
      clockToleranceSeconds: 0,
    },
    redis:
      settings.redisUrl || settings.redisClusterNodes
        ? {
            url: settings.redisUrl ?? undefined,
            clusterNodes: settings.redisClusterNodes,
            keyPrefix: settings.keyPrefix,
            commandTimeoutMs: 200,
          }
        : null,
    trustProxy: settings.trustProxy ?? 0,
    rateLimitPolicies: { ...DEFAULT_RATE_LIMIT_POLICIES },
    docsEnabled: settings.docsEnabled ?? false,
    logStream: settings.logStream,
  };
}

/** A listening app with sample routes behind the whole pipeline. */
export async function startPipelineApp(settings: PipelineAppSettings): Promise<{
  app: INestApplication;
  url: string;
}> {
  @Module({
    imports: [SecurityModule.forRoot(pipelineOptions(settings))],
    controllers: [
      SampleController,
      PublicCatalogueController,
      PublicStatusController,
      GuardedStatusController,
      PlainStatusController,
    ],
    providers: [DocumentOwnershipResolver],
  })
  class PipelineTestModule {}

  const testing = await Test.createTestingModule({ imports: [PipelineTestModule] }).compile();
  const app = await createSecureApp(testing, { platform: settings.platform ?? 'fastify' });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
