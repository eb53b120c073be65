//! The identifier a citizen chooses at activation (issue 6) and types at every login, mapped to
//! their mailbox address (`web_identifier`).

use crate::error::WebError;

/// Lower-cased identifier if it follows the rules: 3 to 40 characters, letters without accents,
/// digits, dot, dash, underscore; starting with a letter or digit.
pub fn normalize(raw: &str) -> Result<String, &'static str> {
    let id = raw.trim().to_lowercase();
    let n = id.chars().count();
    if !(3..=40).contains(&n) {
        return Err("L’identifiant doit compter entre 3 et 40 caractères.");
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Err(
            "L’identifiant ne peut contenir que des lettres sans accent, des chiffres, des points, des tirets et des soulignés.",
        );
    }
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("L’identifiant doit commencer par une lettre ou un chiffre.");
    }
    Ok(id)
}

/// The address of an identifier.
pub async fn address_of(db: &store::Db, identifier: &str) -> Result<Option<String>, WebError> {
    let Ok(id) = normalize(identifier) else {
        return Ok(None);
    };
    Ok(
        sqlx::query_scalar("SELECT address FROM web_identifier WHERE identifier = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The identifier of an address.
pub async fn identifier_of(db: &store::Db, address: &str) -> Result<Option<String>, WebError> {
    Ok(
        sqlx::query_scalar("SELECT identifier FROM web_identifier WHERE address = $1")
            .bind(address.to_string())
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Whether `identifier` is free for `address` (unused, or already its own).
pub async fn available(db: &store::Db, identifier: &str, address: &str) -> Result<bool, WebError> {
    Ok(match address_of(db, identifier).await? {
        Some(a) => a == address,
        None => true,
    })
}

/// Gives `address` the identifier `id` (replacing an older one).
pub async fn assign(db: &store::Db, id: &str, address: &str, now: i64) -> Result<(), WebError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM web_identifier WHERE address = $1")
        .bind(address.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO web_identifier (identifier, address, created_at) VALUES ($1, $2, $3)")
        .bind(id.to_string())
        .bind(address.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn identifier_rules() {
        assert_eq!(
            normalize(" Camille.Martin ").as_deref(),
            Ok("camille.martin")
        );
        assert!(normalize("ab").is_err());
        assert!(normalize("élodie").is_err());
        assert!(normalize(".abc").is_err());
        assert!(normalize("a b c").is_err());
        assert!(normalize(&"a".repeat(41)).is_err());
    }
}
