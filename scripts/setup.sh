#!/usr/bin/env bash
# Set up everything Bryggan needs on this machine, idempotently.
#   scripts/setup.sh base   run-time packages (the demo)
#   scripts/setup.sh dev    plus test, lint and browser-test tools (Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-base}"
PYTHON="${PYTHON:-python3}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  echo "Installing Debian packages: $*"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  apt_install python3-venv
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi

stamp=".venv/.installed-${kind}-$(cat requirements/*.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
    -r "requirements/${kind}.txt"
  .venv/bin/python -m pip check
  touch "$stamp"
fi

# SAML single sign-on checks signatures with xmlsec1 (pysaml2 calls it).
if ! command -v xmlsec1 >/dev/null; then
  apt_install xmlsec1
fi
if [ "$kind" = dev ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium fonts-dejavu-core
fi
# The production trial (tests/reliability/test_production.py, make bench) runs Bryggan behind
# nginx with TLS, as in production.
if [ "$kind" = dev ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx-light openssl
fi
