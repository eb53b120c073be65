//! A citizen's personal contact details (e-mail, mobile) for codes and notifications. The
//! insurer's register gives the first ones; the citizen confirms or changes them with a code in
//! the webmail, and a confirmed value wins over the register's, even after a re-import.

use sqlx::Row;
use store::Db;

use crate::DirectoryError;
use crate::model::normalize_address;

/// Where to reach a citizen outside the space.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    pub mobile: Option<String>,
}

/// The contact details of the citizen at `address` (confirmed values first, else the register's).
pub async fn contact(db: &Db, address: &str) -> Result<Contact, DirectoryError> {
    let Some(address) = normalize_address(address) else {
        return Ok(Contact::default());
    };
    let row = sqlx::query(
        "SELECT COALESCE(k.email, c.email) AS email, COALESCE(k.mobile, c.mobile) AS mobile \
         FROM dir_citizen c LEFT JOIN dir_citizen_contact k ON k.address = c.address \
         WHERE c.address = $1",
    )
    .bind(address)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(r) => Contact {
            email: r.try_get("email")?,
            mobile: r.try_get("mobile")?,
        },
        None => Contact::default(),
    })
}

/// Records a confirmed e-mail address and/or mobile number (`None` leaves a value as it is).
pub async fn set_confirmed(
    db: &Db,
    address: &str,
    email: Option<&str>,
    mobile: Option<&str>,
    now: i64,
) -> Result<(), DirectoryError> {
    let address =
        normalize_address(address).ok_or_else(|| DirectoryError::BadAddress(address.into()))?;
    sqlx::query(
        "INSERT INTO dir_citizen_contact (address, email, mobile, email_confirmed_at, \
         mobile_confirmed_at, updated_at) VALUES ($1, $2, $3, \
         CASE WHEN $2 IS NULL THEN NULL ELSE $4 END, CASE WHEN $3 IS NULL THEN NULL ELSE $4 END, $4) \
         ON CONFLICT (address) DO UPDATE SET \
         email = COALESCE(excluded.email, dir_citizen_contact.email), \
         mobile = COALESCE(excluded.mobile, dir_citizen_contact.mobile), \
         email_confirmed_at = COALESCE(excluded.email_confirmed_at, dir_citizen_contact.email_confirmed_at), \
         mobile_confirmed_at = COALESCE(excluded.mobile_confirmed_at, dir_citizen_contact.mobile_confirmed_at), \
         updated_at = excluded.updated_at",
    )
    .bind(address)
    .bind(email.map(str::to_string))
    .bind(mobile.map(str::to_string))
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Whether a Carte Vitale serial number matches the register (activation, DESIGN §8). Digits
/// only, 8 to 13 of them; leading zeros and spaces as typed on the card are tolerated.
pub async fn vitale_matches(db: &Db, nir: &str, typed: &str) -> Result<bool, DirectoryError> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if !(8..=13).contains(&typed.len()) || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(false);
    }
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT vitale_serial FROM dir_citizen WHERE nir = $1")
            .bind(nir.to_string())
            .fetch_optional(db.pool())
            .await?;
    Ok(match stored.flatten() {
        Some(s) => s.trim_start_matches('0') == typed.trim_start_matches('0'),
        None => false,
    })
}
