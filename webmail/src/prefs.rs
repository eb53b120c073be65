//! A citizen's preferences: the new-mail e-mail notification (on by default, issue 6) and the
//! channel of the login code.

use sqlx::Row;

use crate::error::WebError;
use crate::notify::Channel;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    pub notify_new_mail: bool,
    pub otp_channel: Channel,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            notify_new_mail: true,
            otp_channel: Channel::Email,
        }
    }
}

pub async fn get(db: &store::Db, address: &str) -> Result<Prefs, WebError> {
    let row = sqlx::query("SELECT notify_new_mail, otp_channel FROM web_pref WHERE address = $1")
        .bind(address.to_string())
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(r) => Prefs {
            notify_new_mail: r.try_get::<i64, _>("notify_new_mail")? != 0,
            otp_channel: Channel::parse(&r.try_get::<String, _>("otp_channel")?),
        },
        None => Prefs::default(),
    })
}

pub async fn set(state: &AppState, address: &str, p: Prefs) -> Result<(), WebError> {
    sqlx::query(
        "INSERT INTO web_pref (address, notify_new_mail, otp_channel, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (address) DO UPDATE SET \
         notify_new_mail = excluded.notify_new_mail, otp_channel = excluded.otp_channel, \
         updated_at = excluded.updated_at",
    )
    .bind(address.to_string())
    .bind(i64::from(p.notify_new_mail))
    .bind(p.otp_channel.as_str())
    .bind(state.now())
    .execute(state.db.pool())
    .await?;
    Ok(())
}
