#!/usr/bin/env bash
# Print the path of a working Python 3.10 (the Rasa engine needs it), or explain how to get one.
set -euo pipefail
candidates=()
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for dir in "$root"/versions/3.10*/bin/python3.10; do [ -x "$dir" ] && candidates+=("$dir"); done
fi
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
for python in "${candidates[@]}"; do
  if "$python" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    echo "$python"
    exit 0
  fi
done
cat >&2 <<'MSG'
Python 3.10 was not found, and Rasa Open Source 3.6 needs it.
Install it with pyenv (`pyenv install 3.10`) or your system's package manager
(it must provide the venv module), then run the command again.
MSG
exit 1
