#!/usr/bin/env bash
# Start or stop the two services of `make run`: Rasa (5005, loopback) and the gateway (8000), which
# also runs Rasa's custom actions.
set -euo pipefail
cd "$(dirname "$0")/.."
# The databases and logs hold conversations: readable by this user only (files 0600, folders 0700).
umask 077
mkdir -p var/run var/log
chmod -R go-rwx var
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=$PWD SQLALCHEMY_SILENCE_UBER_WARNING=1
GATEWAY_PORT=${GATEWAY_PORT:-8000}
export CHIZAI_GATEWAY_URL=${CHIZAI_GATEWAY_URL:-http://127.0.0.1:$GATEWAY_PORT}
# Development (the default): fresh secrets each start unless the environment sets them, links to
# this machine. Production (CHIZAI_ENV=production, docs/deployment.md) takes them from the
# environment only, and the gateway refuses to start without them.
if [ "${CHIZAI_ENV:-development}" != production ]; then
  # The engine and the gateway share a secret (the gateway's channel into Rasa, Rasa's action calls).
  export CHIZAI_ENGINE_TOKEN=${CHIZAI_ENGINE_TOKEN:-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')}
  # The key of the staff sign-in form's token (bot/staff/csrf.py), shared by every gateway worker.
  export CHIZAI_SECRET_KEY=${CHIZAI_SECRET_KEY:-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')}
  export CHIZAI_PUBLIC_URL=${CHIZAI_PUBLIC_URL:-http://127.0.0.1:$GATEWAY_PORT}
fi
GATEWAY_HOST=${GATEWAY_HOST:-127.0.0.1}

start_one() {  # name, command...
  local name=$1; shift
  if [ -f "var/run/$name.pid" ] && kill -0 "$(cat "var/run/$name.pid")" 2>/dev/null; then
    echo "$name is already running"; return
  fi
  # The previous run's log is kept as name.log.1 (the purge deletes it after CHIZAI_LOG_RETENTION_DAYS).
  [ -f "var/log/$name.log" ] && mv -f "var/log/$name.log" "var/log/$name.log.1"
  setsid "$@" >"var/log/$name.log" 2>&1 < /dev/null &
  echo $! > "var/run/$name.pid"
}

stop_one() {
  local pid_file="var/run/$1.pid"
  [ -f "$pid_file" ] || return 0
  kill -- -"$(cat "$pid_file")" 2>/dev/null || true
  rm -f "$pid_file"
}

case "${1:-}" in
  start)
    # The settings are checked, and an upgrade's migrations run, before anything takes traffic.
    scripts/step.sh migrate "checking the settings and bringing the database up to date" .venv/bin/python -m bot migrate
    start_one rasa .venv-rasa/bin/rasa run --enable-api --model models/chizai.tar.gz \
      --port 5005 --interface 127.0.0.1 --auth-token="${CHIZAI_ENGINE_TOKEN:-}" --endpoints endpoints.yml --credentials credentials.yml
    start_one gateway .venv/bin/python -m bot serve --host "$GATEWAY_HOST" --port "$GATEWAY_PORT"
    # The operators' watch, when they gave an address for its alerts (docs/deployment.md).
    if [ -n "${CHIZAI_OPERATOR_MAIL_TO:-}" ]; then
      start_one watch .venv/bin/python -m bot watch --url "http://127.0.0.1:$GATEWAY_PORT"
    fi
    echo -n "starting the Rasa engine and the gateway (about 30 s)"
    for _ in $(seq 1 180); do
      if curl -fs "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null 2>&1; then
        echo; echo "chizai-bot is ready: http://127.0.0.1:$GATEWAY_PORT/"
        echo "(logs in var/log/, stop with: make stop)"
        exit 0
      fi
      echo -n "."; sleep 1
    done
    {
      echo; echo "the services did not become ready in time."
      curl -s "http://127.0.0.1:$GATEWAY_PORT/healthz" && echo
      for name in rasa gateway; do
        echo "the last lines of var/log/$name.log:"; tail -n 15 "var/log/$name.log" | sed 's/^/    /'
      done
      echo "Fix what the logs say (is port $GATEWAY_PORT or 5005 taken?), then: make stop; make run"
    } >&2
    exit 1
    ;;
  stop)
    for name in watch gateway rasa; do stop_one "$name"; done
    echo "stopped"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
