//! Provisional codes (DESIGN §8): 12 characters from an alphabet without look-alikes, drawn from
//! a CSPRNG, stored only as an Argon2id hash, written once in plain to the mailing file.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngExt;

use crate::DirectoryError;

/// Letters and digits a person cannot confuse when typing from paper: no 0/O, 1/I/L, no U/V.
/// 29 symbols, 12 characters: log2(29^12) ≈ 58 bits.
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTWXYZ23456789";

/// Length of a provisional code.
pub const CODE_LEN: usize = 12;

/// A new provisional code from the thread CSPRNG (ChaCha, seeded by the OS).
pub fn generate_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// What the citizen typed, made comparable: upper case, spaces and dashes removed (the letter is
/// printed in groups of four).
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Argon2id for provisional codes. The code is random with ~58 bits of entropy and expires with
/// the opposition period, so lighter parameters than for passwords (8 MiB, 1 pass) keep the import
/// of a whole register practical while an offline search stays out of reach.
fn code_hasher() -> Result<Argon2<'static>, DirectoryError> {
    let params =
        Params::new(8 * 1024, 1, 1, None).map_err(|e| DirectoryError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a provisional code (PHC string). CPU-bound: call from a blocking thread.
pub fn hash_code(code: &str) -> Result<String, DirectoryError> {
    let hasher = code_hasher()?;
    hasher
        .hash_password(normalize_code(code).as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DirectoryError::Hash(e.to_string()))
}

/// Checks a typed code against its stored hash (constant-time comparison inside argon2).
pub fn verify_code(typed: &str, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(normalize_code(typed).as_bytes(), &hash)
        .is_ok()
}

/// The mailing file: `nir;address;email;code`, created with mode 0600 and never overwritten
/// (the codes cannot be shown again, so an existing file is someone's only copy).
pub struct CodesWriter {
    out: BufWriter<File>,
    path: PathBuf,
    written: u64,
}

impl CodesWriter {
    pub fn create(path: &Path) -> Result<CodesWriter, DirectoryError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| {
                DirectoryError::CodesOutput(std::io::Error::new(
                    e.kind(),
                    format!(
                        "{}: {e} (the file must not exist yet: codes are never overwritten)",
                        path.display()
                    ),
                ))
            })?;
        let mut out = BufWriter::new(file);
        out.write_all(b"nir;address;email;code\n")
            .map_err(DirectoryError::CodesOutput)?;
        Ok(CodesWriter {
            out,
            path: path.to_path_buf(),
            written: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Codes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    pub(crate) fn write(
        &mut self,
        nir: &str,
        address: &str,
        email: Option<&str>,
        code: &str,
    ) -> Result<(), DirectoryError> {
        // `;` cannot occur in a NIR, an address or a code; an e-mail with one is dropped.
        let email = email.filter(|e| !e.contains(';')).unwrap_or("");
        writeln!(self.out, "{nir};{address};{email};{code}")
            .map_err(DirectoryError::CodesOutput)?;
        self.written += 1;
        Ok(())
    }

    /// Flushes and fsyncs: called before the accounts of a batch are committed, so an account
    /// never exists without its code on disk.
    pub(crate) fn sync(&mut self) -> Result<(), DirectoryError> {
        self.out.flush().map_err(DirectoryError::CodesOutput)?;
        self.out
            .get_ref()
            .sync_data()
            .map_err(DirectoryError::CodesOutput)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let c = generate_code();
            assert_eq!(c.len(), CODE_LEN);
            assert!(c.bytes().all(|b| ALPHABET.contains(&b)), "{c}");
            for bad in ['0', 'O', '1', 'I', 'L', 'U', 'V'] {
                assert!(!c.contains(bad), "{c}");
            }
            seen.insert(c);
        }
        assert_eq!(seen.len(), 200, "codes repeat: not random");
    }

    #[test]
    fn code_hash_verifies_typed_variants_only() {
        let code = "ABCD-EFGH-JKMN";
        let h = hash_code(code).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("ABCD"));
        assert!(verify_code("abcd efgh jkmn", &h));
        assert!(verify_code("ABCDEFGHJKMN", &h));
        assert!(!verify_code("ABCDEFGHJKMP", &h));
        assert!(!verify_code("ABCDEFGHJKMN", "not a hash"));
    }

    #[test]
    fn writer_is_0600_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("codes.csv");
        let mut w = CodesWriter::create(&p).unwrap();
        w.write("240013700100130", "a@b.example", Some("x@y.example"), "ABC")
            .unwrap();
        w.sync().unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text,
            "nir;address;email;code\n240013700100130;a@b.example;x@y.example;ABC\n"
        );
        assert!(CodesWriter::create(&p).is_err());
    }
}
