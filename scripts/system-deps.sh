#!/usr/bin/env bash
# Debian packages the browser tests and document checks need: Chromium for Playwright, poppler
# for PDF text and images, a CJK font so pages and PDFs render Chinese. Installs only what is
# missing, and only as root; otherwise says what to install.
set -euo pipefail
need=()
for package in chromium poppler-utils fonts-noto-cjk; do
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
