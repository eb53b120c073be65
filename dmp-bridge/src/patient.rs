//! The patient's access choices (tables `dmp_patient`, `dmp_blocked`): médecin traitant,
//! blocked professionals, oppositions to break-glass and SAMU access.

use sqlx::Row;
use store::Db;

use crate::access::PatientSettings;
use crate::error::{DmpError, Result};

/// Loads the settings of a patient (defaults when they never chose anything).
pub async fn settings(db: &Db, patient_ins: &str) -> Result<PatientSettings> {
    let row = sqlx::query(
        "SELECT medecin_traitant_rpps, oppose_break_glass, oppose_samu FROM dmp_patient \
         WHERE patient_ins = $1",
    )
    .bind(patient_ins.to_string())
    .fetch_optional(db.pool())
    .await?;
    let mut s = PatientSettings::default();
    if let Some(r) = row {
        s.medecin_traitant = r.try_get("medecin_traitant_rpps")?;
        s.oppose_break_glass = r.try_get::<i64, _>("oppose_break_glass")? != 0;
        s.oppose_samu = r.try_get::<i64, _>("oppose_samu")? != 0;
    }
    let blocked: Vec<String> =
        sqlx::query_scalar("SELECT rpps FROM dmp_blocked WHERE patient_ins = $1 ORDER BY rpps")
            .bind(patient_ins.to_string())
            .fetch_all(db.pool())
            .await?;
    s.blocked = blocked.into_iter().collect();
    Ok(s)
}

async fn ensure_row(db: &Db, patient_ins: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO dmp_patient (patient_ins, oppose_break_glass, oppose_samu, updated_at) \
         VALUES ($1, 0, 0, $2) ON CONFLICT (patient_ins) DO NOTHING",
    )
    .bind(patient_ins.to_string())
    .bind(store::db::now_unix())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// An RPPS is 11 digits (DESIGN §2); the national id `8`+RPPS is accepted too.
pub fn normalize_rpps(raw: &str) -> Result<String> {
    let s = raw.trim();
    let s = if s.len() == 12 && s.starts_with('8') {
        &s[1..]
    } else {
        s
    };
    if s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(DmpError::Invalid(
            "Le numéro RPPS doit comporter 11 chiffres.".to_string(),
        ))
    }
}

/// Designates (or with `None` removes) the médecin traitant.
pub async fn set_medecin_traitant(db: &Db, patient_ins: &str, rpps: Option<&str>) -> Result<()> {
    let rpps = rpps.map(normalize_rpps).transpose()?;
    ensure_row(db, patient_ins).await?;
    sqlx::query(
        "UPDATE dmp_patient SET medecin_traitant_rpps = $1, updated_at = $2 WHERE patient_ins = $3",
    )
    .bind(rpps)
    .bind(store::db::now_unix())
    .bind(patient_ins.to_string())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Sets the oppositions to break-glass and to SAMU regulation access.
pub async fn set_oppositions(
    db: &Db,
    patient_ins: &str,
    oppose_break_glass: bool,
    oppose_samu: bool,
) -> Result<()> {
    ensure_row(db, patient_ins).await?;
    sqlx::query(
        "UPDATE dmp_patient SET oppose_break_glass = $1, oppose_samu = $2, updated_at = $3 \
         WHERE patient_ins = $4",
    )
    .bind(i64::from(oppose_break_glass))
    .bind(i64::from(oppose_samu))
    .bind(store::db::now_unix())
    .bind(patient_ins.to_string())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Blocks (`true`) or unblocks a professional. Returns the normalised RPPS.
pub async fn set_blocked(db: &Db, patient_ins: &str, rpps: &str, blocked: bool) -> Result<String> {
    let rpps = normalize_rpps(rpps)?;
    if blocked {
        sqlx::query(
            "INSERT INTO dmp_blocked (patient_ins, rpps, blocked_at) VALUES ($1, $2, $3) \
             ON CONFLICT (patient_ins, rpps) DO NOTHING",
        )
        .bind(patient_ins.to_string())
        .bind(rpps.clone())
        .bind(store::db::now_unix())
        .execute(db.pool())
        .await?;
    } else {
        sqlx::query("DELETE FROM dmp_blocked WHERE patient_ins = $1 AND rpps = $2")
            .bind(patient_ins.to_string())
            .bind(rpps.clone())
            .execute(db.pool())
            .await?;
    }
    Ok(rpps)
}

#[cfg(test)]
mod tests {
    use super::normalize_rpps;

    #[test]
    fn rpps_forms() {
        assert_eq!(normalize_rpps("10284642892").unwrap(), "10284642892");
        assert_eq!(normalize_rpps(" 810284642892 ").unwrap(), "10284642892");
        for bad in ["", "1028464289", "1028464289x", "910284642892"] {
            assert!(normalize_rpps(bad).is_err(), "{bad}");
        }
    }
}
