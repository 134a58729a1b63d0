#!/usr/bin/env bash
# The Debian packages `make test` needs beside the two virtual environments: chromium and CJK
# fonts (browser tests), PostgreSQL and Redis (scale-out tests), Caddy (the example
# reverse proxy, tested in front of the gateway). Installs the missing ones when
# run as root; otherwise stops at once with the exact command to run.
set -euo pipefail
packages=()
command -v chromium >/dev/null || packages+=(chromium)
fc-list :lang=ja 2>/dev/null | grep -q . || packages+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
command -v redis-server >/dev/null || packages+=(redis-server)
command -v caddy >/dev/null || packages+=(caddy)
((${#packages[@]})) || exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "make test needs these Debian packages: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${packages[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
