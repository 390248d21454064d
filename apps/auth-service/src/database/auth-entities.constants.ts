import { ApiTokenEntity } from '../api-tokens/api-token.entity';
import { SigningKeyEntity } from '../keys/signing-key.entity';
import { OtpCodeEntity } from '../otp/otp-code.entity';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { SessionEntity } from '../sessions/session.entity';
import { SingleUseTokenEntity } from '../tokens/single-use-token.entity';
import { UserEntity } from '../users/user.entity';

/** The entities of auth-service's own tables. */
export const AUTH_ENTITIES = [
  UserEntity,
  SessionEntity,
  RefreshTokenEntity,
  ApiTokenEntity,
  SingleUseTokenEntity,
  OtpCodeEntity,
  SigningKeyEntity,
];
