//! Conversation permits (DESIGN §3 step 5, §4): when a professional address delivers to a
//! citizen, the citizen may answer that address, until a message carries `X-MSS-MES: FIN` (the
//! MSSanté header saying "no reply expected"). A later message without FIN opens it again.

use sqlx::Row;
use store::Db;

use crate::DirectoryError;
use crate::model::normalize_address;
use crate::policy::Permit;

/// A permit as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PermitRecord {
    pub citizen: String,
    pub pro_address: String,
    pub opened_at: i64,
    pub message_id: Option<String>,
    pub ended_at: Option<i64>,
    pub end_message_id: Option<String>,
}

impl PermitRecord {
    /// The view the policy needs.
    pub fn to_permit(&self) -> Permit {
        Permit {
            pro_address: self.pro_address.clone(),
            ended: self.ended_at.is_some(),
        }
    }
}

fn both(citizen: &str, pro: &str) -> Result<(String, String), DirectoryError> {
    let c = normalize_address(citizen).ok_or_else(|| DirectoryError::BadAddress(citizen.into()))?;
    let p = normalize_address(pro).ok_or_else(|| DirectoryError::BadAddress(pro.into()))?;
    Ok((c, p))
}

/// `pro_address` delivered message `message_id` to `citizen`: the citizen may answer it.
/// (Re)opens the permit.
pub async fn record_permit(
    db: &Db,
    citizen: &str,
    pro_address: &str,
    message_id: Option<&str>,
) -> Result<(), DirectoryError> {
    let (c, p) = both(citizen, pro_address)?;
    sqlx::query(
        "INSERT INTO dir_permit (citizen, pro_address, opened_at, message_id) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (citizen, pro_address) DO UPDATE SET opened_at = excluded.opened_at, \
         message_id = excluded.message_id, ended_at = NULL, end_message_id = NULL",
    )
    .bind(c)
    .bind(p)
    .bind(crate::now())
    .bind(message_id.map(str::to_string))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// `pro_address` ended the conversation (`X-MSS-MES: FIN`): the citizen may no longer answer.
/// Recorded even if no permit was open, so the refusal can say why.
pub async fn end_permit(db: &Db, citizen: &str, pro_address: &str) -> Result<(), DirectoryError> {
    end_permit_by(db, citizen, pro_address, None).await
}

/// [`end_permit`], recording the Message-ID of the message that carried `X-MSS-MES: FIN`.
pub async fn end_permit_by(
    db: &Db,
    citizen: &str,
    pro_address: &str,
    message_id: Option<&str>,
) -> Result<(), DirectoryError> {
    let (c, p) = both(citizen, pro_address)?;
    let now = crate::now();
    sqlx::query(
        "INSERT INTO dir_permit (citizen, pro_address, opened_at, message_id, ended_at, \
         end_message_id) VALUES ($1, $2, $3, NULL, $3, $4) \
         ON CONFLICT (citizen, pro_address) DO UPDATE SET ended_at = excluded.ended_at, \
         end_message_id = excluded.end_message_id",
    )
    .bind(c)
    .bind(p)
    .bind(now)
    .bind(message_id.map(str::to_string))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Every permit of `citizen`, open and ended, most recent first.
pub async fn permits_of(db: &Db, citizen: &str) -> Result<Vec<PermitRecord>, DirectoryError> {
    let Some(c) = normalize_address(citizen) else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(
        "SELECT citizen, pro_address, opened_at, message_id, ended_at, end_message_id \
         FROM dir_permit WHERE citizen = $1 ORDER BY opened_at DESC, pro_address",
    )
    .bind(c)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PermitRecord {
                citizen: r.try_get("citizen")?,
                pro_address: r.try_get("pro_address")?,
                opened_at: r.try_get("opened_at")?,
                message_id: r.try_get("message_id")?,
                ended_at: r.try_get("ended_at")?,
                end_message_id: r.try_get("end_message_id")?,
            })
        })
        .collect()
}
