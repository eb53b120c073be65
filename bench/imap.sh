#!/usr/bin/env bash
# IMAP: santemail next to Dovecot (the distribution's), same load generator, same machine.
#   bench/imap.sh [SECONDS] [MESSAGES]   (default 30 s of load, 200 messages per mailbox)
# Env: CLIENTS (20), IDLE_CONNS (1000), SANTEMAIL_BIN (skip the build, use this binary),
#      SKIP_LOAD=1 (memory only), SKIP_IDLE=1 (throughput only),
#      IDLE_DOVECOT=1 (Dovecot's idle memory too, all its processes),
#      PROFILE=1 (then each command alone for 10 s on both servers: ops/s and server CPU per op).
# Prints ops/s and p50/p99 for 20 clients on both servers and the ratio, then the memory per idle
# authenticated IDLE connection (1,000 sessions, Rss/Pss of the server 30 s after the last IDLE).
# Needs root (Dovecot's private instance), python3. Load generator: bench/imap_load.py; Dovecot:
# bench/imap_dovecot.sh (docs/imap-plan.md §6).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-30}"; MSGS="${2:-200}"; CLIENTS="${CLIENTS:-20}"; IDLE_CONNS="${IDLE_CONNS:-1000}"
ulimit -n 8192
if [ -z "${SANTEMAIL_BIN:-}" ]; then cargo build --release --quiet; fi
BIN="${SANTEMAIL_BIN:-$PWD/target/release/santemail}"
LOAD="python3 bench/imap_load.py"
WORK="$(mktemp -d /tmp/santemail-bench-imap.XXXXXX)"
SERVER=""
trap 'bash bench/imap_dovecot.sh stop "$WORK/dovecot"; [ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
PORT_SE=$((20000 + RANDOM % 10000)); PORT_DV=$((PORT_SE + 1))
PASSWORD="Bench-Imap-2026!"

export SANTEMAIL_CONFIG="$WORK/santemail.toml"
cat > "$SANTEMAIL_CONFIG" <<TOML
[server]
hostname = "mx.mssante.example"
data_dir = "$WORK/data"
[smtp]
mta = ""
submission = ""
submissions = ""
[imap]
imap = ""
imaps = "127.0.0.1:$PORT_SE"
max_connections_per_ip = $((IDLE_CONNS + 100))
[webmail]
https = ""
TOML
PKI="$WORK/data/pki"
$BIN certs init --dir "$PKI" --domain mssante.example --domain patient.mssante.example >/dev/null
$BIN directory import tests/fixtures/listeblanche/listeblanchemssante.xml \
  tests/fixtures/annuaire/PS_LibreAcces_Personne_activite_202611200300.txt \
  tests/fixtures/annuaire/Extraction_Correspondance_MSSante_202611200300.txt >/dev/null
# One professional mailbox per client (the fixture's PER addresses), the same password everywhere.
awk -F'|' '$1=="PER"{print $2}' tests/fixtures/annuaire/Extraction_Correspondance_MSSante_202611200300.txt \
  | head -n "$CLIENTS" > "$WORK/users"
while read -r u; do echo "$PASSWORD" | $BIN account set-password "$u" >/dev/null; done < "$WORK/users"

start_santemail() {
  SANTEMAIL_LOG=warn $BIN serve 2>>"$WORK/serve.log" &
  SERVER=$!
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT_SE) 2>/dev/null && return; sleep 0.1; done
  echo "santemail did not start (see $WORK/serve.log)" >&2; cat "$WORK/serve.log" >&2; exit 1
}
start_santemail
bash bench/imap_dovecot.sh start "$WORK/dovecot" $PORT_DV "$PKI/servers/mssante.example.pem" \
  "$PKI/servers/mssante.example.key" "$WORK/users" "$PASSWORD"
DVPID="$(cat "$WORK/dovecot/dovecot.pid")"

COMMON=(--users "$WORK/users" --password "$PASSWORD" --cafile "$PKI/ca-bundle.pem")
$LOAD prefill --port $PORT_SE "${COMMON[@]}" --messages "$MSGS"
$LOAD prefill --port $PORT_DV "${COMMON[@]}" --messages "$MSGS"
if [ "${SKIP_LOAD:-0}" != 1 ]; then
  s=$($LOAD load --label santemail --port $PORT_SE "${COMMON[@]}" --clients "$CLIENTS" \
      --duration "$DUR" --pid $SERVER) || true
  echo "$s"
  d=$($LOAD load --label dovecot --port $PORT_DV "${COMMON[@]}" --clients "$CLIENTS" \
      --duration "$DUR" --pid "$DVPID" --children) || true
  echo "$d"
  rs=$(echo "$s" | awk 'NR==1{print $2}'); rd=$(echo "$d" | awk 'NR==1{print $2}')
  echo "ratio santemail/dovecot ops/s at $CLIENTS clients: $(awk -v a="$rs" -v b="$rd" 'BEGIN{printf "%.2f", a/b}')x"
  echo
fi

if [ "${PROFILE:-0}" = 1 ]; then
  for op in SELECT "FETCH 1:* FLAGS" "UID FETCH headers" "UID FETCH BODY[]" "UID STORE" "UID SEARCH" APPEND IDLE+DONE; do
    $LOAD load --label santemail --port $PORT_SE "${COMMON[@]}" --clients "$CLIENTS" --duration 10 \
      --pid $SERVER --ops "$op" | sed -n "1,2s/^/[$op] /p" || true
    $LOAD load --label dovecot --port $PORT_DV "${COMMON[@]}" --clients "$CLIENTS" --duration 10 \
      --pid "$DVPID" --children --ops "$op" | sed -n "1,2s/^/[$op] /p" || true
  done
  echo
fi

[ "${SKIP_IDLE:-0}" = 1 ] && exit 0
# Memory per idle connection, on a freshly started santemail (same data).
kill $SERVER; wait $SERVER 2>/dev/null || true
start_santemail
$LOAD idle --label santemail --port $PORT_SE "${COMMON[@]}" --conns "$IDLE_CONNS" --pid $SERVER --hold 30 || true
# Again with glibc's mmap threshold pinned: Argon2's 19 MiB buffer (one per login) is then
# returned to the system at once instead of being kept in an arena under the sessions' data.
kill $SERVER; wait $SERVER 2>/dev/null || true
MALLOC_MMAP_THRESHOLD_=131072 start_santemail
$LOAD idle --label "santemail MALLOC_MMAP_THRESHOLD_=131072" --port $PORT_SE "${COMMON[@]}" \
  --conns "$IDLE_CONNS" --pid $SERVER --hold 30 || true
if [ "${IDLE_DOVECOT:-0}" = 1 ]; then
  $LOAD idle --label dovecot --port $PORT_DV "${COMMON[@]}" --conns "$IDLE_CONNS" \
    --pid "$DVPID" --children --hold 30 || true
fi
