#!/usr/bin/env bash
# Set up and run the platform on embedded SQLite with demo data: the web server, one background
# worker, and the four fake platforms (微信、微博、抖音、快手) that the demo accounts publish on.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh requirements.lock
scripts/system-deps.sh run
PY=.venv/bin/python

# The demo pulls from the fake platforms on this machine, never from the real APIs.
export WECHAT_API_BASE=http://127.0.0.1:9101 WEIBO_API_BASE=http://127.0.0.1:9102
export DOUYIN_API_BASE=http://127.0.0.1:9103 KUAISHOU_API_BASE=http://127.0.0.1:9104
export PLATFORM_SANDBOX_SEARCH=1

mkdir -p var
# The fakes first: the demo data publishes its approved articles on them (DEMO_PLATFORMS=live).
$PY -m govmedia.platforms.fakes --demo --ports 9101,9102,9103,9104 >var/fakes.log 2>&1 &
FAKES=$!
# The fake service host the demo's 办事入口 point at (HTTP 9105, HTTPS with a self-signed cert 9106).
$PY -m govmedia.platforms.fakes.servicehost --port 9105 --tls-port 9106 >var/servicehost.log 2>&1 &
SERVICEHOST=$!
WORKER=
trap 'kill $WORKER $FAKES $SERVICEHOST 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 50); do grep -q kuaishou var/fakes.log 2>/dev/null && break; sleep 0.2; done
for _ in $(seq 1 50); do grep -q service-host var/servicehost.log 2>/dev/null && break; sleep 0.2; done
echo "示例平台（微信、微博、抖音、快手）已启动：127.0.0.1:9101–9104（日志 var/fakes.log）；示例办事服务：127.0.0.1:9105/9106"
# The demo goes live now: what the fakes hold from before is the accounts' history, outside the
# 先审后发 check; what is published from now on must match an approved revision.
export PUBLISHING_MATCH_SINCE="$(date -Iseconds)" DEMO_PLATFORMS=live

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py demo_seed

$PY manage.py qcluster >var/qcluster.log 2>&1 &
WORKER=$!
echo "后台任务进程已启动（django-q2，日志 var/qcluster.log），每分钟采集到期账号"
sleep 1
$PY manage.py monitoring_pull --all >var/first-pull.log 2>&1 && echo "已完成首轮采集（var/first-pull.log）" || echo "首轮采集未完成，见 var/first-pull.log"
echo "平台地址：http://127.0.0.1:8000/   （按 Ctrl+C 停止）"
$PY manage.py runserver 127.0.0.1:8000 --noreload
