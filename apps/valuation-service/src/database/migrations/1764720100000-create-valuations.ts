import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `valuations` table. */
export class CreateValuations1764720100000 implements MigrationInterface {
  name = 'CreateValuations1764720100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "valuations" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "msme_id" uuid NOT NULL,
        "owner_id" uuid NOT NULL,
        "requested_by" uuid NOT NULL,
        "method" varchar(32) NOT NULL,
        "value_inr" bigint NOT NULL,
        "low_inr" bigint NOT NULL,
        "high_inr" bigint NOT NULL,
        "inputs" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "chk_valuations_range" CHECK ("low_inr" <= "value_inr" AND "value_inr" <= "high_inr")
      )
    `);
    await queryRunner.query(`CREATE INDEX "idx_valuations_msme_id" ON "valuations" ("msme_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "valuations"`);
  }
}
