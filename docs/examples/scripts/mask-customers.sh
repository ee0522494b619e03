#!/bin/bash
# A post-restore hook script: anonymises the customers of a copy of the demo's shop database inside the
# restore's temporary database, before it takes the target's name. See docs/scripts.md and docs/hooks.md.
set -euo pipefail

psql -X -q -v ON_ERROR_STOP=1 --single-transaction <<'SQL'
UPDATE customers SET name = 'customer ' || id,
                     email = 'customer' || id || '@example.invalid';
SQL
echo "PROGRESS 1/1 masked the customers"
