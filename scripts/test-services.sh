#!/usr/bin/env bash
# The real servers the tests talk to: system packages installed when missing, local services
# started when down. Root is needed for apt-get; without it, the fixtures report what is missing.
set -uo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
install() { apt-get install -y -q "$@" >/dev/null 2>&1; }
if [ "${#need[@]}" -gt 0 ] && [ "$(id -u)" = 0 ]; then
  # A machine image taken in the middle of an install leaves dpkg "interrupted": apt-get then
  # refuses everything until the pending configuration is finished.
  install "${need[@]}" || { dpkg --configure -a >/dev/null 2>&1; install "${need[@]}"; } \
    || { apt-get update -q >/dev/null 2>&1 && install "${need[@]}"; } \
    || echo "could not install: ${need[*]}" >&2
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if command -v redis-cli >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
exit 0
