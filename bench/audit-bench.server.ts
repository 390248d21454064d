// One process of the audit benchmark: a Fastify Nest app whose POST /orders validates its
// body and saves an @Audited entity, with (`audited`) or without (`plain`) the AuditModule.
// The database url comes as the second argument; the port goes back to the parent over IPC.
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Body, Controller, Post, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { IsIn, IsInt, IsString, Length, Min } from 'class-validator';
import { Column, Entity, PrimaryGeneratedColumn, Repository } from 'typeorm';

import {
  AUDIT_ENTITIES,
  AUDIT_MIGRATIONS,
  AuditModule,
} from '../libs/security/src/audit/audit.module';
import { Audited } from '../libs/security/src/audit/audited.decorator';
import { RequestContext } from '../libs/security/src/request-context/request-context';

@Audited('bench_order')
@Entity({ name: 'bench_orders' })
class BenchOrder {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'varchar' })
  status: string;
}

class CreateOrderDto {
  @IsString()
  @Length(1, 100)
  name: string;

  @IsInt()
  @Min(0)
  amount: number;

  @IsIn(['new', 'paid'])
  status: string;
}

@Controller('orders')
class OrderController {
  constructor(@InjectRepository(BenchOrder) private readonly orders: Repository<BenchOrder>) {}

  @Post()
  create(@Body() body: CreateOrderDto): Promise<BenchOrder> {
    return this.orders.save(this.orders.create(body));
  }
}

function appModule(audited: boolean, url: string): DynamicModule {
  return {
    module: class BenchAppModule {},
    imports: [
      TypeOrmModule.forRoot({
        type: 'postgres',
        url,
        entities: [BenchOrder, ...AUDIT_ENTITIES],
        migrations: AUDIT_MIGRATIONS,
        migrationsRun: audited,
        extra: { max: 10 },
      }),
      TypeOrmModule.forFeature([BenchOrder]),
      ...(audited
        ? [
            AuditModule.forRoot({
              hmacKey: 'bench-hmac-key',
              serviceName: 'bench',
              sealIntervalMs: Number(process.env.BENCH_SEAL_INTERVAL_MS ?? 1000),
            }),
          ]
        : []),
    ],
    controllers: [OrderController],
  };
}

async function main(): Promise<void> {
  const [mode, url] = process.argv.slice(2);
  const app = await NestFactory.create<NestFastifyApplication>(
    appModule(mode === 'audited', url),
    new FastifyAdapter(),
    { logger: false },
  );
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  // What the security module's request context does for every request.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, _reply, done) => {
      const store = { correlationId: randomUUID(), clientIp: '127.0.0.1' };
      RequestContext.run(store, done);
    });
  await app.listen(0, '127.0.0.1');
  process.send?.({ port: Number(new URL(await app.getUrl()).port) });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

void main();
