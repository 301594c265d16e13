#!/usr/bin/env bash
# Lint and the whole test suite. SQLite by default; PostgreSQL when TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh requirements-dev.lock
scripts/system-deps.sh test
PY=.venv/bin/python
$PY -m ruff check .
$PY -m ruff format --check .
# Dependencies point down and pure cores stay pure (contracts in pyproject.toml).
.venv/bin/lint-imports --no-cache
# Tests never touch the DATABASE_URL of a running installation: only TEST_DATABASE_URL counts.
unset DATABASE_URL
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "测试数据库：PostgreSQL（TEST_DATABASE_URL）"
  export DATABASE_URL="$TEST_DATABASE_URL"
else
  echo "测试数据库：SQLite"
fi
exec $PY -m pytest -n 2 "$@"
