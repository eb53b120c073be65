//! Passwords of any mailbox address (professional AUTH PLAIN/LOGIN, citizen login) as Argon2id
//! PHC strings, and the check of a citizen's provisional code. Hashing and verifying are CPU-bound
//! (tens of milliseconds by design) and run on blocking threads.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use store::Db;

use crate::DirectoryError;
use crate::accounts::{self, verify_code};
use crate::model::normalize_address;

/// Minimum length of a password (ANSSI recommendation for a password protecting sensitive data
/// without other factor: 12 characters or more; the citizen login adds a one-time code).
pub const MIN_PASSWORD_LEN: usize = 12;

/// Why a password is refused. Pure.
pub fn check_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err(format!(
            "the password must have at least {MIN_PASSWORD_LEN} characters (it has {n})"
        ));
    }
    if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '))
    {
        return Err("the password repeats a single character".into());
    }
    Ok(())
}

/// An Argon2id hash with the crate's default parameters (19 MiB, 2 passes, 1 lane: the OWASP
/// minimum for Argon2id) and a random salt.
pub fn hash_password(password: &str) -> Result<String, DirectoryError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DirectoryError::Hash(e.to_string()))
}

/// Checks `password` against a PHC string; the comparison inside argon2 is constant-time.
pub fn verify_hash(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of nothing anyone knows, verified when an address has no password so that "no such
/// account" and "wrong password" take the same time.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&crate::accounts::generate_code()).unwrap_or_default())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DirectoryError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DirectoryError::Task(e.to_string()))
}

fn address_of(raw: &str) -> Result<String, DirectoryError> {
    normalize_address(raw).ok_or_else(|| DirectoryError::BadAddress(raw.to_string()))
}

/// Sets (or replaces) the password of `address`.
pub async fn set_password(db: &Db, address: &str, password: &str) -> Result<(), DirectoryError> {
    let address = address_of(address)?;
    check_password(password).map_err(DirectoryError::Invalid)?;
    let pw = password.to_string();
    let hash = blocking(move || hash_password(&pw)).await??;
    sqlx::query(
        "INSERT INTO dir_credential (address, password_hash, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (address) DO UPDATE SET password_hash = excluded.password_hash, \
         updated_at = excluded.updated_at",
    )
    .bind(address)
    .bind(hash)
    .bind(crate::now())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Whether `password` is the password of `address`. False for an unknown address, after the same
/// amount of work.
pub async fn verify_password(
    db: &Db,
    address: &str,
    password: &str,
) -> Result<bool, DirectoryError> {
    let stored: Option<String> = match normalize_address(address) {
        Some(a) => {
            sqlx::query_scalar("SELECT password_hash FROM dir_credential WHERE address = $1")
                .bind(a)
                .fetch_optional(db.pool())
                .await?
        }
        None => None,
    };
    let known = stored.is_some();
    let phc = stored.unwrap_or_else(|| decoy_hash().to_string());
    let pw = password.to_string();
    let ok = blocking(move || verify_hash(&pw, &phc)).await?;
    Ok(known && ok)
}

/// Removes the password of `address` (e.g. account closed). Returns whether there was one.
pub async fn remove_password(db: &Db, address: &str) -> Result<bool, DirectoryError> {
    let address = address_of(address)?;
    let done = sqlx::query("DELETE FROM dir_credential WHERE address = $1")
        .bind(address)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Checks a citizen's provisional code (activation, DESIGN §8). `nir_or_address` names the
/// account; false if it has no code (a child, or an unknown person).
pub async fn verify_provisional_code(
    db: &Db,
    nir_or_address: &str,
    code: &str,
) -> Result<bool, DirectoryError> {
    let nir = match accounts::account(db, nir_or_address).await? {
        Some(acc) => Some(acc.nir),
        None => None,
    };
    let stored: Option<String> = match nir {
        Some(nir) => sqlx::query_scalar::<_, Option<String>>(
            "SELECT code_hash FROM dir_citizen WHERE nir = $1",
        )
        .bind(nir)
        .fetch_optional(db.pool())
        .await?
        .flatten(),
        None => None,
    };
    let known = stored.is_some();
    let phc = stored.unwrap_or_else(|| decoy_hash().to_string());
    let typed = code.to_string();
    let ok = blocking(move || verify_code(&typed, &phc)).await?;
    Ok(known && ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        let cases = [
            ("", Err("at least 12")),
            ("short pass", Err("at least 12")),
            ("aaaaaaaaaaaaaa", Err("single character")),
            ("correct horse battery", Ok(())),
            ("éàèùçéàèùçéà", Ok(())),
        ];
        for (pw, want) in cases {
            match (check_password(pw), want) {
                (Ok(()), Ok(())) => {}
                (Err(e), Err(w)) => assert!(e.contains(w), "{pw}: {e}"),
                (got, want) => panic!("{pw}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn hash_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_hash("correct horse battery", &h));
        assert!(!verify_hash("correct horse batterY", &h));
        assert!(!verify_hash("correct horse battery", "garbage"));
        // Two hashes of the same password differ (random salt).
        assert_ne!(h, hash_password("correct horse battery").unwrap());
    }
}
