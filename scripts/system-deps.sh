#!/usr/bin/env bash
# Debian packages the platform needs: CJK fonts to print filing forms as PDF (Noto Serif CJK for
# the text, DejaVu for ☑/□); the PostgreSQL client (pg_dump/pg_restore) for `manage.py
# backup_create`/`backup_restore`; for the tests also Chromium (Playwright) and poppler (PDF checks).
# Installs only what is missing, and only as root; otherwise says what to install.
#   scripts/system-deps.sh run|serve|test
set -euo pipefail
packages=(fonts-noto-cjk fonts-dejavu-core)
# pg_dump of the server's major version or newer; Debian's postgresql-client is the current one.
[ "${1:-test}" != run ] && ! command -v pg_dump >/dev/null 2>&1 && packages+=(postgresql-client)
[ "${1:-test}" = test ] && packages+=(chromium poppler-utils)
need=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${need[*]}。请以 root 运行：apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "安装系统软件包：${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
