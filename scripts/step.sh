#!/usr/bin/env bash
# One set-up step of `make run`, quietly: a line of progress with its duration, the step's own
# output in var/log/setup/<name>.log, and on failure the log's last lines and what to do.
# Usage: scripts/step.sh NAME "what it does" command [args...]
set -uo pipefail
cd "$(dirname "$0")/.."
name=$1 label=$2
shift 2
mkdir -p var/log/setup
log=var/log/setup/$name.log
echo "$label ..."
start=$(date +%s)
"$@" >"$log" 2>&1
status=$?
if [ "$status" -eq 0 ]; then
  echo "  done in $(( $(date +%s) - start )) s"
  exit 0
fi
{
  echo "  failed (exit $status); the last lines of $log:"
  tail -n 25 "$log" | sed 's/^/    /'
  echo "  Fix what the log says, then run the same make command again."
} >&2
exit "$status"
