#!/usr/bin/env bash
# Set up and run the platform on embedded SQLite with demo data: web server plus one worker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh requirements.lock
scripts/system-deps.sh run
PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py demo_seed

$PY manage.py qcluster >var/qcluster.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "后台任务进程已启动（django-q2，日志 var/qcluster.log）"
echo "平台地址：http://127.0.0.1:8000/   （按 Ctrl+C 停止）"
$PY manage.py runserver 127.0.0.1:8000 --noreload
