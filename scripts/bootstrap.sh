#!/usr/bin/env bash
# Create .venv from the hashed lock file. Brings uv itself on a machine that has only Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK="${1:-requirements.lock}"

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
  || { echo "需要 Python 3.11（当前：$("$PYTHON" --version 2>&1)）" >&2; exit 1; }

if ! command -v uv >/dev/null 2>&1 && [ ! -x .tools/bin/uv ]; then
  echo "安装 uv（首次运行）…"
  if ! "$PYTHON" -m venv .tools 2>/dev/null; then
    # Debian splits venv support out of python3.11.
    [ "$(id -u)" = 0 ] || { echo "请先安装 Debian 软件包 python3.11-venv（apt-get install python3.11-venv）" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-venv >/dev/null
    rm -rf .tools && "$PYTHON" -m venv .tools
  fi
  # The version every lock file here was compiled and tested with.
  .tools/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
UV="$(command -v uv || echo .tools/bin/uv)"

[ -x .venv/bin/python ] || "$UV" venv --quiet --python "$PYTHON" .venv
"$UV" pip sync --quiet --require-hashes --python .venv/bin/python "$LOCK"
