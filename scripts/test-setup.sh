#!/usr/bin/env bash
# Installs and starts what the test suite talks to, on a Debian machine (run as root):
# Dovecot (real IMAP server for connectivity tests), Chromium (GraphiQL browser test),
# and makes sure the local PostgreSQL and Redis answer. Idempotent: a second run only checks.
set -euo pipefail

missing=()
command -v dovecot >/dev/null 2>&1 || missing+=(dovecot-imapd)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
if ((${#missing[@]})); then
  echo "test-setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Dovecot's package enables a system instance on some images; the tests run their own.
if pgrep -x dovecot >/dev/null 2>&1 && [ -f /etc/dovecot/dovecot.conf ]; then dovecot stop >/dev/null 2>&1 || true; fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "test-setup: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "test-setup: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /tmp
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
echo "test-setup: dovecot $(dovecot --version | cut -d' ' -f1), chromium present, PostgreSQL and Redis answer"
