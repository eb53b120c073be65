#!/usr/bin/env bash
# Durable SMTP acceptance, santemail next to Postfix, same load generator, same machine.
#   bench/smtp.sh [MESSAGES]      (default 2000 per run; needs: postfix, a release build)
# Prints msgs/s and p50/p99 for 1 and 20 connections × 4 KB and 100 KB, then the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2000}"
cargo build --release --quiet
BIN="$PWD/target/release/santemail"
WORK="$(mktemp -d /tmp/santemail-bench.XXXXXX)"
trap 'bash bench/postfix.sh stop "$WORK/postfix"; kill $SERVER 2>/dev/null || true; wait 2>/dev/null; rm -rf "$WORK"' EXIT
PORT_SUB=$((20000 + RANDOM % 10000)); PORT_PF=$((PORT_SUB + 1))

export SANTEMAIL_CONFIG="$WORK/santemail.toml"
cat > "$SANTEMAIL_CONFIG" <<TOML
[server]
hostname = "mx.mssante.example"
data_dir = "$WORK/data"
[smtp]
mta = ""
submissions = ""
submission = "127.0.0.1:$PORT_SUB"
max_connections_per_ip = 100
TOML
PKI="$WORK/data/pki"
$BIN certs init --dir "$PKI" --domain mssante.example --domain patient.mssante.example >/dev/null
$BIN directory import tests/fixtures/listeblanche/listeblanchemssante.xml \
  tests/fixtures/annuaire/PS_LibreAcces_Personne_activite_202611200300.txt \
  tests/fixtures/annuaire/Extraction_Correspondance_MSSante_202611200300.txt >/dev/null
FROM=camille.martin@medecin.mssante.example
TO=lea.rousseau@medecin.mssante.example
$BIN certs issue person --dir "$PKI" --email $FROM --rpps 10284642892 --given-name Camille --surname MARTIN >/dev/null
SANTEMAIL_LOG=warn $BIN serve 2>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT_SUB) 2>/dev/null && break; sleep 0.1; done

bash bench/postfix.sh start "$WORK/postfix" $PORT_PF "$PKI/servers/mssante.example.pem" "$PKI/servers/mssante.example.key"

declare -A RATE
for conns in 1 20; do
  for size in 4096 102400; do
    n=$N; [ $conns -eq 1 ] && n=$((N / 4))
    s=$($BIN bench smtp --label santemail --target 127.0.0.1:$PORT_SUB --cafile "$PKI/ca-bundle.pem" \
        --cert "$PKI/personnes/$FROM.pem" --key "$PKI/personnes/$FROM.key" \
        --from $FROM --to $TO --connections $conns --messages $n --size $size)
    echo "$s"
    p=$($BIN bench smtp --label postfix --target 127.0.0.1:$PORT_PF --cafile "$PKI/ca-bundle.pem" \
        --from bench@client.example --to pfbench@bench.example --connections $conns --messages $n --size $size)
    echo "$p"
    rs=$(echo "$s" | awk '{for(i=1;i<=NF;i++) if($i=="msg/s") print $(i-1)}')
    rp=$(echo "$p" | awk '{for(i=1;i<=NF;i++) if($i=="msg/s") print $(i-1)}')
    RATE["$conns/$size"]=$(awk -v a="$rs" -v b="$rp" 'BEGIN{printf "%.2f", a/b}')
  done
done
echo
for k in "1/4096" "1/102400" "20/4096" "20/102400"; do
  echo "ratio santemail/postfix at conns/size $k: ${RATE[$k]}x"
done
