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
  sed "s#^data_dir = .*#data_dir = \"$DATA\"#" santemail.example.toml > "$SANTEMAIL_CONFIG"
fi
$BIN config check

if [ ! -f "$DATA/pki/root-ca.pem" ]; then
  $BIN certs init --dir "$DATA/pki" \
    --domain mssante.example --domain patient.mssante.example
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
