#!/usr/bin/env bash
# First run on a fresh machine: system packages, release build, a dev health PKI, and the sample
# national data imported into SQLite. Safe to run again (the PKI is kept, imports are upserts).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${SANTEMAIL_DATA:-./data}"
FIX=tests/fixtures

bash scripts/install-deps.sh
cargo build --release --quiet
BIN=./target/release/santemail
export SANTEMAIL_CONFIG="$DATA/santemail.toml"
mkdir -p "$DATA"
if [ ! -f "$SANTEMAIL_CONFIG" ]; then
  # The example file, with the data folder and the unprivileged demo ports (DESIGN §9).
  sed -e "s#^data_dir = .*#data_dir = \"$DATA\"#" \
      -e 's#^mta = .*#mta = "127.0.0.1:2525"#' \
      -e 's#^submission = .*#submission = "127.0.0.1:2587"#' \
      -e 's#^submissions = .*#submissions = "127.0.0.1:2465"#' \
      santemail.example.toml > "$SANTEMAIL_CONFIG"
fi
$BIN config check

if [ ! -f "$DATA/pki/root-ca.pem" ]; then
  $BIN certs init --dir "$DATA/pki" \
    --domain mssante.example --domain patient.mssante.example
fi
DOCTOR=camille.martin@medecin.mssante.example
if [ ! -f "$DATA/pki/personnes/$DOCTOR.pem" ]; then
  $BIN certs issue person --dir "$DATA/pki" --email $DOCTOR --rpps 10284642892 \
    --given-name Camille --surname MARTIN >/dev/null
fi

$BIN directory import \
  "$FIX/listeblanche/listeblanchemssante.xml" \
  "$FIX/annuaire/PS_LibreAcces_Personne_activite_202611200300.txt" \
  "$FIX/annuaire/Extraction_Correspondance_MSSante_202611200300.txt"
$BIN account import "$FIX/citizens/assures.csv" --codes-out "$DATA/codes-provisoires.csv"

# The insured register creates pending accounts; activate one, as the citizen would in the webmail.
$BIN account activate 240013700100130 >/dev/null 2>&1 || true

echo
echo "== A pharmacy in the directory"
$BIN directory lookup du-centre-37000@pharmacie.mssante.example
echo "== May a citizen write to that pharmacy? (always)"
$BIN policy check --from 240013700100130@patient.mssante.example --to du-centre-37000@pharmacie.mssante.example || true
echo "== May the same citizen write to a doctor who never wrote to them? (no)"
$BIN policy check --from 240013700100130@patient.mssante.example --to camille.martin@medecin.mssante.example || true
echo
echo "Data, database and PKI are in $DATA. Provisional codes for the citizens: $DATA/codes-provisoires.csv"
echo
echo "Run the server:   SANTEMAIL_CONFIG=$SANTEMAIL_CONFIG $BIN serve"
echo "Then, as Dr Camille Martin, write to that citizen (STARTTLS on 2587 with her certificate):"
echo "  swaks --server 127.0.0.1 --port 2587 --tls --tls-ca-path $DATA/pki/ca-bundle.pem \\"
echo "    --tls-cert $DATA/pki/personnes/$DOCTOR.pem --tls-key $DATA/pki/personnes/$DOCTOR.key \\"
echo "    --from $DOCTOR --to 240013700100130@patient.mssante.example --header 'From: $DOCTOR'"
echo "  SANTEMAIL_CONFIG=$SANTEMAIL_CONFIG $BIN mailbox stat 240013700100130@patient.mssante.example"
