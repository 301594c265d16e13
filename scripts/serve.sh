#!/usr/bin/env bash
# Production: the platform under gunicorn (WEB_WORKERS × WEB_THREADS, deploy/gunicorn.conf.py)
# with DEBUG=0, and the qcluster worker beside it under the same supervision: if either stops,
# the other is stopped too and the script exits non-zero (systemd or the operator restarts it).
# Refuses to start while `manage.py check --deploy` reports a warning or an error.
#   scripts/serve.sh [environment-file]        (make serve; deploy/govmedia.env lists every setting)
# Run `manage.py migrate` before the first start and after every upgrade (README, 生产部署).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${1:-}" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$1"
  set +a
fi
export DEBUG=0
PY="${PYTHON:-.venv/bin/python}"

# Compressed files with hashed names (WhiteNoise serves them, cached for a year).
"$PY" manage.py collectstatic --noinput -v0
if ! "$PY" manage.py check --deploy --fail-level WARNING; then
  echo "manage.py check --deploy 报告了问题（见上），生产服务拒绝启动。" >&2
  exit 1
fi
if [ "${HTTPS:-1}" = 0 ]; then
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  echo "!! 警告：HTTPS=0，登录密码与会话以明文传输，仅限无 TLS 的隔离内网临时使用。     !!" >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
fi

"$PY" manage.py qcluster &
WORKER=$!
"$PY" -m gunicorn -c deploy/gunicorn.conf.py govmedia.wsgi:application &
WEB=$!
stop() { kill -TERM "$WEB" "$WORKER" 2>/dev/null || true; wait "$WEB" "$WORKER" 2>/dev/null || true; }
trap 'stop; exit 0' TERM INT
set +e
wait -n "$WEB" "$WORKER"
status=$?
set -e
echo "govmedia：$( kill -0 "$WEB" 2>/dev/null && echo 后台任务进程 || echo Web 进程 )已退出（状态 $status），停止另一个进程。" >&2
stop
exit $(( status == 0 ? 1 : status ))
