/** Every `token_type` auth-service issues; a token of one type is never accepted where another is expected. */
export const TOKEN_TYPES = [
  'access',
  'refresh',
  'email_verification',
  'password_reset',
  'api_token',
] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];

/** The claims of a platform JWT, as signed by auth-service. */
export interface TokenClaims {
  sub: string;
  email: string;
  roles: string[];
  permissions: string[];
  token_type: TokenType;
  jti: string;
  /** Session (refresh-token family) id; absent on API tokens. */
  sid?: string;
  iss: string;
  aud: string | string[];
  iat: number;
  exp: number;
  nbf?: number;
}
