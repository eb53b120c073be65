//! A synthetic `Extraction_Correspondance_MSSante` with the real 31-column layout, at any scale
//! (the national extract has about 536 000 lines), for `santemail bench directory`.
//! Deterministic: the same `rows` and `seed` give the same file.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

const HEADER: &str = "Type de BAL|Adresse BAL|Type Identifiant PP|Identifiant PP|\
Identification nationale PP|Type identifiant structure|Identification Structure|\
Service de rattachement|Civilité d'exercice|Nom d'exercice|Prénom d'exercice|\
Catégorie profession|Libellé de catégorie profession|Code Profession|Libellé Profession|\
Code savoir-faire|Libellé savoir-faire|Dématérialisation|Raison Sociale structure BAL|\
Enseigne commerciale structure BAL|L2COMPLEMENTLOCALISATION structure BAL|\
L3COMPLEMENTDISTRIBUTION structure BAL|L4NUMEROVOIE structure BAL|\
L4COMPLEMENTNUMEROVOIE structure BAL|NL4TYPEVOIE structure BAL|L4LIBELLEVOIE structure BAL|\
L5LIEUDITMENTION structure BAL|L6LIGNEACHEMINEMENT structure BAL|Code postal structure BAL|\
Département structure BAL|Pays structure BAL";

const FIRST: [&str; 12] = [
    "Camille", "Léa", "Hugo", "Chloé", "Noé", "Inès", "Jules", "Zoé", "Théo", "Anaïs", "Gaël",
    "Maëlle",
];
const LAST: [&str; 12] = [
    "MARTIN", "ROUSSEAU", "LE GALL", "BERNARD", "BLANC", "PERRIN", "DUBOIS", "GUÉRIN", "MOREL",
    "LEFÈVRE", "MULLER", "N'DIAYE",
];
/// (code, label, domain label) of a few professions.
const PROFESSIONS: [(&str, &str, &str); 6] = [
    ("10", "Médecin", "medecin"),
    ("21", "Pharmacien", "pharmacien"),
    ("60", "Infirmier", "infirmier"),
    ("40", "Chirurgien-Dentiste", "dentiste"),
    ("50", "Sage-Femme", "sagefemme"),
    ("70", "Masseur-Kinésithérapeute", "kine"),
];
const CITIES: [(&str, &str, &str); 5] = [
    ("37000", "TOURS", "37"),
    ("45000", "ORLEANS", "45"),
    ("75011", "PARIS", "75"),
    ("20000", "AJACCIO", "2A"),
    ("97200", "FORT DE FRANCE", "972"),
];

/// SplitMix64: a tiny deterministic generator (no need for a CSPRNG to make test data).
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[(self.next() % from.len() as u64) as usize]
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'É' | 'È' => 'e',
            'ï' | 'î' => 'i',
            'ë' => 'e',
            ' ' | '\'' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Writes `rows` data lines (about 75 % PER, 20 % ORG, 5 % APP; every address distinct) to
/// `path`. Returns the size of the file in bytes.
pub fn write_extract(path: &Path, rows: u64, seed: u64) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(out, "{HEADER}")?;
    let mut rng = Mix(seed);
    for i in 0..rows {
        let (postal, city, dept) = rng.pick(&CITIES);
        let number = 1 + rng.next() % 150;
        let demat = if rng.next().is_multiple_of(3) {
            "False"
        } else {
            "True"
        };
        match rng.next() % 20 {
            0..=14 => {
                let (first, last) = (rng.pick(&FIRST), rng.pick(&LAST));
                let (code, label, dom) = rng.pick(&PROFESSIONS);
                let rpps = 10_000_000_000 + i;
                writeln!(
                    out,
                    "PER|{}.{}{i}@{dom}.mssante.example|8|{rpps}|8{rpps}||||DR|{last}|{first}|C|Civil|\
                     {code}|{label}|SM54|Médecine générale (SM)|{demat}|||||{number}||RUE|Nationale||\
                     {postal} {city}|{postal}|{dept}|France",
                    slug(first),
                    slug(last),
                )?;
            }
            15..=18 => {
                let finess = 100_000_000 + (i % 899_999_999);
                writeln!(
                    out,
                    "ORG|service{i}@etab.mssante.example||||1|{finess}|Accueil||||||||||{demat}|\
                     CENTRE HOSPITALIER {city}|CH {city}|Bâtiment B||{number}||BD|Tonnellé||\
                     {postal} {city}|{postal}|{dept}|France"
                )?;
            }
            _ => {
                let siret = 10_000_000_000_000 + i;
                writeln!(
                    out,
                    "APP|lgc{i}@labo.mssante.example||||3|{siret}|Laboratoire||||||||||{demat}|\
                     LABORATOIRE {city}||||{number}|bis|AV|Grammont||{postal} {city}|{postal}|\
                     {dept}|France"
                )?;
            }
        }
    }
    out.flush()?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(file.metadata()?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_31_columns_and_distinct_addresses() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir
            .path()
            .join("Extraction_Correspondance_MSSante_bench.txt");
        let size = write_extract(&p, 2000, 7).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text.len() as u64, size);
        let mut addresses = std::collections::HashSet::new();
        for (n, line) in text.lines().enumerate() {
            assert_eq!(line.split('|').count(), 31, "line {}: {line}", n + 1);
            if n > 0 {
                assert!(addresses.insert(line.split('|').nth(1).unwrap().to_string()));
            }
        }
        assert_eq!(addresses.len(), 2000);
        assert_eq!(
            crate::import::detect_head(text.as_bytes()).unwrap(),
            crate::import::ImportKind::Mailboxes
        );
    }
}
