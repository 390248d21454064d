#!/usr/bin/env bash
# Creates one database and one login role per service. The postgres image runs this once,
# on the first start with an empty data volume (/docker-entrypoint-initdb.d).
#
#   APP_DATABASES  space-separated database names, each also the name of its owner role
#                  (default: auth_service msme_service valuation_service)
#   PGPASSWORD     password given to every service role; the services read the same
#                  variable, so DATABASE_URL never has to carry it
#
# One password for all roles is a development convenience: production gives each service
# its own credentials through its Secret.
set -Eeuo pipefail

databases="${APP_DATABASES:-auth_service msme_service valuation_service}"
: "${PGPASSWORD:?PGPASSWORD must be set (see .env.example)}"

# All names are checked before anything is created, so a typo leaves no half-done setup.
for database in $databases; do
  if [[ ! "$database" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "init-databases: invalid database name '$database'" >&2
    exit 1
  fi
done

for database in $databases; do
  psql --no-psqlrc -v ON_ERROR_STOP=1 \
    --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    --set name="$database" --set password="$PGPASSWORD" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
-- Other roles (the other services included) may not even connect.
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
  echo "init-databases: created database and role $database"
done
