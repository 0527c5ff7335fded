#!/usr/bin/env bash
# Serve Bryggan on 127.0.0.1:8000 with its background worker (interview reminders) and the
# daily jobs (programme reminders and offer expiry, the retention purge) once a day.
# Everything stops when the server stops. In production use cron or systemd timers instead
# (README: production).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# The demo's e-mails go to its outbox, read in the browser (/demo/utkorg/, as the site
# administrator), not to the terminal; set EMAIL_BACKEND yourself to use another.
export EMAIL_BACKEND="${EMAIL_BACKEND:-bryggan.demo.outbox.OutboxBackend}"
"$PY" manage.py db_worker --no-reload --interval 5 -v 0 &
WORKER=$!
# Norrköping's staff can also sign in through the demo's own identity provider (OpenID
# Connect, loopback port 8001), as a municipality's Entra ID or AD FS would let them.
"$PY" manage.py demo_idp var/demo-idp >/dev/null
"$PY" scripts/idp/oidc_server.py 8001 var/demo-idp > var/demo-idp/provider.log 2>&1 &
IDP=$!
(
  while true; do
    "$PY" manage.py programme_daily >/dev/null 2>&1 || true
    "$PY" manage.py specialists_daily >/dev/null 2>&1 || true
    "$PY" manage.py insights_refresh >/dev/null 2>&1 || true
    "$PY" manage.py retention_purge >/dev/null 2>&1 || true
    "$PY" manage.py regional_forget >/dev/null 2>&1 || true
    sleep 86400
  done
) &
DAILY=$!
trap 'kill "$WORKER" "$DAILY" "$IDP" 2>/dev/null || true' EXIT INT TERM
cat <<'SUMMARY'

  Bryggan demo: http://127.0.0.1:8000/
  Logins (password bryggan-demo), for Södertälje and Norrköping alike:
    coordinator@sodertalje.demo   supervisor@sodertalje.demo   student@sodertalje.demo
    mentor@, unit_manager@, hr@, university_contact@, dpo@sodertalje.demo
  Coordinators, HR and the DPO also give a code from an authenticator app; without one:
    make demo-code EMAIL=coordinator@sodertalje.demo
  Single sign-on: "Logga in via Norrköpings kommuns inloggning (demo)" on the sign-in page;
    at the demo's provider (password bryggan-demo): astrid.samordnare@norrkoping.demo
    (coordinator), bertil.handledare@ (supervisor), cecilia.chef@ (unit manager),
    david.utanfor@norrkoping.demo (in no Bryggan group: refused)
  Careers page (no login): http://127.0.0.1:8000/karriar/sodertalje/
  The e-mails Bryggan sends: http://127.0.0.1:8000/demo/utkorg/ (log in as admin@bryggan.demo)
  Stop with Ctrl-C.

SUMMARY
"$PY" manage.py runserver 127.0.0.1:8000 --noreload
