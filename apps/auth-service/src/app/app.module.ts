import { Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule, SecurityModule } from '@msmebazaar/security';

import { AdminAuditController } from '../admin/admin-audit.controller';
import { AdminIpBlocksController } from '../admin/admin-ip-blocks.controller';
import { AdminUsersController } from '../admin/admin-users.controller';
import { AdminUsersService } from '../admin/admin-users.service';
import { ApiTokenController } from '../api-tokens/api-token.controller';
import { ApiTokenService } from '../api-tokens/api-token.service';
import { AccountService } from '../auth/account.service';
import { AuthController } from '../auth/auth.controller';
import { IpAutoBlockService } from '../auth/ip-auto-block.service';
import { LoginService } from '../auth/login.service';
import { AUTH_CONFIG, authConfigFromEnv, type AuthConfig } from '../config/auth.config';
import { authSecurityOptions } from '../config/security.config';
import { PasswordHasher } from '../crypto/password-hasher.service';
import { SecretHasher } from '../crypto/secret-hasher.service';
import { authDataSourceOptions } from '../database/database.config';
import { AUTH_ENTITIES } from '../database/auth-entities.constants';
import { JwksController } from '../keys/jwks.controller';
import { SigningKeyService } from '../keys/signing-key.service';
import { LogMailSender } from '../mail/log-mail.sender';
import { MAIL_SENDER } from '../mail/mail-sender.interface';
import { MailService } from '../mail/mail.service';
import { SmtpMailSender } from '../mail/smtp-mail.sender';
import { OtpController } from '../otp/otp.controller';
import { OtpService } from '../otp/otp.service';
import { ProfileController } from '../profile/profile.controller';
import { SessionService } from '../sessions/session.service';
import { UserTokenRevoker } from '../sessions/user-token-revoker.service';
import { LogSmsSender, UnconfiguredSmsSender } from '../sms/log-sms.sender';
import { SMS_SENDER } from '../sms/sms-sender.interface';
import { SingleUseTokenService } from '../tokens/single-use-token.service';
import { TokenService } from '../tokens/token.service';
import { UsersService } from '../users/users.service';
import { AdminSetupNotice } from './admin-setup-notice.service';

const configProvider: Provider = { provide: AUTH_CONFIG, useFactory: () => authConfigFromEnv() };

const senderProviders: Provider[] = [
  LogMailSender,
  LogSmsSender,
  {
    provide: MAIL_SENDER,
    inject: [AUTH_CONFIG, LogMailSender],
    useFactory: (config: AuthConfig, logSender: LogMailSender) =>
      config.smtpUrl ? new SmtpMailSender(config.smtpUrl, config.mailFrom) : logSender,
  },
  {
    provide: SMS_SENDER,
    inject: [AUTH_CONFIG, LogSmsSender],
    useFactory: (config: AuthConfig, logSender: LogSmsSender) =>
      config.environment === 'production' ? new UnconfiguredSmsSender() : logSender,
  },
];

@Module({
  imports: [
    SecurityModule.forRootAsync({ useFactory: () => authSecurityOptions() }),
    TypeOrmModule.forRootAsync({
      extraProviders: [configProvider],
      inject: [AUTH_CONFIG],
      useFactory: (config: AuthConfig) => ({
        ...authDataSourceOptions(config),
        migrationsRun: config.migrateOnStart,
      }),
    }),
    TypeOrmModule.forFeature(AUTH_ENTITIES),
    AuditModule.forRoot({ hmacKey: process.env.AUDIT_HMAC_KEY }),
  ],
  controllers: [
    AuthController,
    OtpController,
    ProfileController,
    ApiTokenController,
    AdminUsersController,
    AdminAuditController,
    AdminIpBlocksController,
    JwksController,
  ],
  providers: [
    configProvider,
    ...senderProviders,
    SecretHasher,
    PasswordHasher,
    SigningKeyService,
    TokenService,
    SingleUseTokenService,
    UsersService,
    SessionService,
    UserTokenRevoker,
    IpAutoBlockService,
    LoginService,
    AccountService,
    MailService,
    OtpService,
    ApiTokenService,
    AdminUsersService,
    AdminSetupNotice,
  ],
})
export class AppModule {}
