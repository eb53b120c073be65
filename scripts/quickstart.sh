#!/usr/bin/env bash
# First run on a fresh machine: system packages, a release build, then the whole space on this
# machine with `santemail demo` — a dev health PKI, demo professionals, organisations and citizens,
# every listener on unprivileged ports, and a table of identities to use from a mail client and a
# browser. Safe to run again: the demo folder is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO="${SANTEMAIL_DEMO:-./santemail-demo}"

bash scripts/install-deps.sh
cargo build --release --quiet
exec ./target/release/santemail demo --dir "$DEMO" "$@"
