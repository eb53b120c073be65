#!/usr/bin/env bash
# Installs the Debian packages santemail needs to build and to run its test suite.
# Idempotent: refreshes the package lists, installs what is missing, does nothing else.
set -euo pipefail
PACKAGES=(
  pkg-config libssl-dev ca-certificates   # openssl crate (PKCS#12 bundles)
  openssl                                 # tests: s_client, pkcs12 (a TLS client we did not write)
  postgresql                              # tests start a throwaway PostgreSQL from its binaries
  python3                                 # tests: smtplib / imaplib clients
  swaks                                   # tests: a second SMTP client
  curl isync                              # tests: IMAPS with a client certificate; mbsync two-way sync
  chromium chromium-driver python3-selenium  # tests: the webmail in a real headless browser
  python3-aiosmtpd                        # tests: SMTP sink the webmail's codes are read from
)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq; then
  echo "install-deps: apt-get update failed; trying with the package lists already here" >&2
fi
$SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
echo "install-deps: ok (${PACKAGES[*]})"
