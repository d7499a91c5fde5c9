#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432, starting the machine's cluster
# when it is installed but down (Debian: pg_ctlcluster). Prints what it did; fails clearly.
set -euo pipefail

answers() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if answers; then
    exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "PostgreSQL is down: starting cluster $version/main" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
        answers && exit 0
        sleep 1
    done
fi
echo "error: no PostgreSQL on 127.0.0.1:5432. Start one, or point the tests at a server with ANALYTICS_TEST_JDBC_URL." >&2
exit 1
