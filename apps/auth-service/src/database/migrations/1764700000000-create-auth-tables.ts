import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, sessions, every kind of stored token, OTP codes and public signing keys. */
export class CreateAuthTables1764700000000 implements MigrationInterface {
  name = 'CreateAuthTables1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL CHECK (email = lower(btrim(email))),
        password_hash text NOT NULL,
        full_name varchar(200) NOT NULL,
        phone varchar(16),
        phone_verified boolean NOT NULL DEFAULT false,
        user_type varchar(20) NOT NULL
          CHECK (user_type IN ('msme_owner', 'investor', 'buyer', 'admin')),
        roles text[] NOT NULL,
        company_name varchar(200),
        gst_number varchar(15),
        is_verified boolean NOT NULL DEFAULT false,
        is_active boolean NOT NULL DEFAULT true,
        failed_login_attempts integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        tokens_valid_after bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))`);
    await queryRunner.query(
      `CREATE INDEX users_phone_idx ON users (phone) WHERE phone IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(40)
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        token_hash varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        replaced_by uuid
      )`);
    await queryRunner.query(
      `CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        permissions text[] NOT NULL,
        token_hash varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)`);
    await queryRunner.query(`
      CREATE TABLE single_use_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose varchar(30) NOT NULL CHECK (purpose IN ('email_verification', 'password_reset')),
        token_hash varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX single_use_tokens_user_idx ON single_use_tokens (user_id, purpose)`,
    );
    await queryRunner.query(`
      CREATE TABLE otp_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel varchar(10) NOT NULL CHECK (channel IN ('email', 'sms')),
        destination varchar(254) NOT NULL,
        purpose varchar(20) NOT NULL CHECK (purpose IN ('login', 'verify_phone')),
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        code_hash varchar(64) NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX otp_codes_lookup_idx ON otp_codes (channel, destination, purpose, created_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE signing_keys (
        kid varchar(64) PRIMARY KEY,
        algorithm varchar(10) NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        signed_until timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'signing_keys',
      'otp_codes',
      'single_use_tokens',
      'api_tokens',
      'refresh_tokens',
      'sessions',
      'users',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
