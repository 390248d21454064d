import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `msmes` table. */
export class CreateMsmes1764720100000 implements MigrationInterface {
  name = 'CreateMsmes1764720100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "msmes" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "owner_id" uuid NOT NULL,
        "name" varchar(200) NOT NULL,
        "industry" varchar(100) NOT NULL,
        "city" varchar(100) NOT NULL,
        "state" varchar(100) NOT NULL,
        "annual_revenue" bigint NOT NULL CHECK ("annual_revenue" >= 0),
        "employees" integer NOT NULL CHECK ("employees" >= 0),
        "year_established" smallint NOT NULL,
        "gst_number" varchar(15),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "deleted_at" timestamptz
      )
    `);
    await queryRunner.query(`
      CREATE INDEX "idx_msmes_owner_id_created_at" ON "msmes" ("owner_id", "created_at")
      WHERE "deleted_at" IS NULL
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "msmes"`);
  }
}
