#!/bin/bash
# A SCRIPT dump job's script: a partial copy of chosen tables of the job's database — their definitions
# (pg_dump --schema-only) and their rows as CSV (psql \copy) — into PGSNAPMAN_OUTPUT_DIR. PgSnapMan
# checksums, deduplicates, catalogs and retains these files like any dump. See docs/scripts.md.
set -euo pipefail

# The tables copied, parents before children, so that foreign keys hold while they load.
tables=(customers orders)

out="$PGSNAPMAN_OUTPUT_DIR"
total=$(( ${#tables[@]} + 1 ))
table_args=()
for t in "${tables[@]}"; do
    table_args+=("--table=public.${t}")
done

pg_dump --schema-only --no-owner --no-privileges "${table_args[@]}" --file="$out/schema.sql"
echo "PROGRESS 1/$total wrote the definitions of ${tables[*]}"

step=1
for t in "${tables[@]}"; do
    psql -X -q -v ON_ERROR_STOP=1 -c "\\copy public.${t} TO '${out}/${t}.csv' WITH (FORMAT csv)"
    step=$(( step + 1 ))
    echo "PROGRESS $step/$total copied ${t}"
done
printf '%s\n' "${tables[@]}" > "$out/tables"
