import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';

/** Tells the operator how to create the first admin while there is none. */
@Injectable()
export class AdminSetupNotice implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AdminSetupNotice.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM users WHERE 'admin' = ANY (roles) AND is_active LIMIT 1`,
    );
    if (rows.length > 0) return;
    this.logger.warn(
      { command: 'npm run create-admin -- --email <address>' },
      'No admin account exists yet. Create one with: npm run create-admin -- --email ' +
        '<address> (password from ADMIN_PASSWORD or standard input)',
    );
  }
}
