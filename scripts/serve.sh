#!/usr/bin/env bash
# Serve Bryggan on 127.0.0.1:8000 with its background worker (interview reminders).
# The worker stops when the server stops.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
"$PY" manage.py db_worker --no-reload --interval 5 -v 0 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py runserver 127.0.0.1:8000 --noreload
