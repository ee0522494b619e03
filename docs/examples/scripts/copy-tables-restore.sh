#!/bin/bash
# A SCRIPT restore job's script: loads what copy-tables-dump.sh wrote (PGSNAPMAN_DUMP_DIR) into the
# database PGDATABASE names — the restore's temporary database, which takes the target's name only after
# this script and the post-restore hook succeeded. See docs/scripts.md.
set -euo pipefail

dir="$PGSNAPMAN_DUMP_DIR"
mapfile -t tables < "$dir/tables"
total=$(( ${#tables[@]} + 1 ))

psql -X -q -v ON_ERROR_STOP=1 --file="$dir/schema.sql"
echo "PROGRESS 1/$total created ${tables[*]}"

step=1
for t in "${tables[@]}"; do
    psql -X -q -v ON_ERROR_STOP=1 -c "\\copy public.${t} FROM '${dir}/${t}.csv' WITH (FORMAT csv)"
    step=$(( step + 1 ))
    echo "PROGRESS $step/$total loaded ${t}"
done
