//! Citizens' accounts (DESIGN §8): created *pending* from the insurer's register with a
//! provisional code, then *active*, *opposed* or *closed*. Children are linked to their legal
//! guardians, who reach the child's profile from their own session.
//!
//! A re-import refreshes identity data but never resets an account's state or code.
//! A minor gets no provisional code of their own: the profile is opened by a guardian, and
//! activating a guardian activates their pending children.

mod codes;
mod register;

use sqlx::Row;
use store::Db;

pub use codes::{
    ALPHABET, CODE_LEN, CodesWriter, generate_code, hash_code, normalize_code, verify_code,
};
pub(crate) use register::write_batch;

use crate::DirectoryError;
use crate::model::{AccountState, normalize_address};
use crate::nir::Nir;

/// The opposition period after which a pending account opens itself (6 weeks).
pub const OPPOSITION_PERIOD_SECS: i64 = 42 * 24 * 3600;

/// A citizen's account as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub nir: String,
    pub address: String,
    pub birth_name: String,
    pub first_names: String,
    pub birth_date: String,
    pub sex: Option<String>,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub is_minor: bool,
    pub state: AccountState,
    pub created_at: i64,
    pub state_changed_at: i64,
    pub activated_at: Option<i64>,
    pub opposed_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// False once a newer register no longer lists the person.
    pub in_register: bool,
}

/// What a citizen (or time) does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The citizen activates (also: reactivates after opposing or closing).
    Activate,
    /// The citizen refuses the account during the opposition period.
    Oppose,
    /// The citizen closes an open account.
    Close,
    /// The opposition period ran out without an answer.
    AutoOpen,
}

/// The state after `action`, or why it is not possible. Pure.
pub fn next_state(from: AccountState, action: Action) -> Result<AccountState, String> {
    use AccountState::*;
    match (from, action) {
        (Pending | Opposed | Closed, Action::Activate) => Ok(Active),
        (Active, Action::Activate) => Err("the account is already active".into()),
        (Pending, Action::Oppose) => Ok(Opposed),
        (Active, Action::Oppose) => {
            Err("the opposition period is over: close the account instead".into())
        }
        (Opposed | Closed, Action::Oppose) => {
            Err(format!("the account is already {}", from.as_str()))
        }
        (Active, Action::Close) => Ok(Closed),
        (Pending | Opposed | Closed, Action::Close) => Err(format!(
            "only an active account can be closed (it is {})",
            from.as_str()
        )),
        (Pending, Action::AutoOpen) => Ok(Active),
        (_, Action::AutoOpen) => Err(format!("the account is {}, not pending", from.as_str())),
    }
}

// BOOLEAN columns are read through `CASE … THEN 1 ELSE 0` as integers: sqlx's Any driver cannot
// decode a SQLite BOOLEAN column (sqlx 0.9 maps no SQLite type to Any's Bool).
const SELECT: &str = "SELECT nir, address, birth_name, first_names, birth_date, sex, email, mobile, \
     CASE WHEN is_minor THEN 1 ELSE 0 END AS is_minor, state, created_at, state_changed_at, \
     activated_at, opposed_at, closed_at, CASE WHEN active THEN 1 ELSE 0 END AS active \
     FROM dir_citizen";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Account, DirectoryError> {
    let state: String = r.try_get("state")?;
    Ok(Account {
        nir: r.try_get("nir")?,
        address: r.try_get("address")?,
        birth_name: r.try_get("birth_name")?,
        first_names: r.try_get("first_names")?,
        birth_date: r.try_get("birth_date")?,
        sex: r.try_get("sex")?,
        email: r.try_get("email")?,
        mobile: r.try_get("mobile")?,
        is_minor: crate::flag(r, "is_minor")?,
        state: AccountState::parse(&state)
            .ok_or_else(|| DirectoryError::Invalid(format!("unknown account state `{state}`")))?,
        created_at: r.try_get("created_at")?,
        state_changed_at: r.try_get("state_changed_at")?,
        activated_at: r.try_get("activated_at")?,
        opposed_at: r.try_get("opposed_at")?,
        closed_at: r.try_get("closed_at")?,
        in_register: crate::flag(r, "active")?,
    })
}

/// The account of a NIR or of a citizen address.
pub async fn account(db: &Db, nir_or_address: &str) -> Result<Option<Account>, DirectoryError> {
    let row = if let Ok(nir) = Nir::parse(nir_or_address) {
        sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE nir = $1")))
            .bind(nir.as_str().to_string())
            .fetch_optional(db.pool())
            .await?
    } else {
        let Some(address) = normalize_address(nir_or_address) else {
            return Ok(None);
        };
        sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE address = $1")))
            .bind(address)
            .fetch_optional(db.pool())
            .await?
    };
    row.as_ref().map(from_row).transpose()
}

/// Applies `action` to the account of `nir`; returns the new state. Activating a guardian also
/// activates their children whose accounts are still pending.
pub async fn apply(db: &Db, nir: &str, action: Action) -> Result<AccountState, DirectoryError> {
    let acc = account(db, nir)
        .await?
        .ok_or_else(|| DirectoryError::NotFound(format!("no citizen account for {nir}")))?;
    let next = next_state(acc.state, action).map_err(DirectoryError::Invalid)?;
    let now = crate::now();
    let stamp = match next {
        AccountState::Active => "activated_at",
        AccountState::Opposed => "opposed_at",
        AccountState::Closed => "closed_at",
        AccountState::Pending => "state_changed_at",
    };
    let mut tx = db.pool().begin().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE dir_citizen SET state = $2, state_changed_at = $3, {stamp} = $3, updated_at = $3 \
         WHERE nir = $1 AND state = $4"
    )))
    .bind(acc.nir.clone())
    .bind(next.as_str())
    .bind(now)
    .bind(acc.state.as_str())
    .execute(&mut *tx)
    .await?;
    if action == Action::Activate {
        sqlx::query(
            "UPDATE dir_citizen SET state = 'active', state_changed_at = $2, activated_at = $2, \
             updated_at = $2 WHERE state = 'pending' AND nir IN \
             (SELECT child_nir FROM dir_guardian WHERE guardian_nir = $1)",
        )
        .bind(acc.nir.clone())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        from = acc.state.as_str(),
        to = next.as_str(),
        "citizen account state changed"
    );
    Ok(next)
}

/// Opens every pending account created more than `period_secs` before `now` (DESIGN §8: without
/// an answer the account opens itself). Returns how many were opened.
pub async fn open_expired(db: &Db, now: i64, period_secs: i64) -> Result<u64, DirectoryError> {
    let done = sqlx::query(
        "UPDATE dir_citizen SET state = 'active', state_changed_at = $1, activated_at = $1, \
         updated_at = $1 WHERE state = 'pending' AND active AND created_at <= $2",
    )
    .bind(now)
    .bind(now - period_secs)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// The legal guardians (NIRs) of a child.
pub async fn guardians_of(db: &Db, child_nir: &str) -> Result<Vec<String>, DirectoryError> {
    Ok(sqlx::query_scalar(
        "SELECT guardian_nir FROM dir_guardian WHERE child_nir = $1 ORDER BY guardian_nir",
    )
    .bind(child_nir.to_string())
    .fetch_all(db.pool())
    .await?)
}

/// The children (NIRs) of a legal guardian.
pub async fn children_of(db: &Db, guardian_nir: &str) -> Result<Vec<String>, DirectoryError> {
    Ok(sqlx::query_scalar(
        "SELECT child_nir FROM dir_guardian WHERE guardian_nir = $1 ORDER BY child_nir",
    )
    .bind(guardian_nir.to_string())
    .fetch_all(db.pool())
    .await?)
}

/// Whether the citizen at `guardian_address` is a registered legal guardian of `child_address`.
pub async fn is_guardian(
    db: &Db,
    guardian_address: &str,
    child_address: &str,
) -> Result<bool, DirectoryError> {
    let (Some(g), Some(c)) = (
        normalize_address(guardian_address),
        normalize_address(child_address),
    ) else {
        return Ok(false);
    };
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM dir_guardian l \
         JOIN dir_citizen g ON g.nir = l.guardian_nir JOIN dir_citizen c ON c.nir = l.child_nir \
         WHERE g.address = $1 AND c.address = $2",
    )
    .bind(g)
    .bind(c)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// Issues a new provisional code for `nir` (lost letter) and returns it in plain, once.
pub async fn reset_code(db: &Db, nir: &str) -> Result<String, DirectoryError> {
    let nir = Nir::parse(nir).map_err(|e| DirectoryError::Invalid(format!("{nir}: {e}")))?;
    let code = generate_code();
    let plain = code.clone();
    let hash = tokio::task::spawn_blocking(move || hash_code(&plain))
        .await
        .map_err(|e| DirectoryError::Task(e.to_string()))??;
    let done = sqlx::query("UPDATE dir_citizen SET code_hash = $2, updated_at = $3 WHERE nir = $1")
        .bind(nir.as_str().to_string())
        .bind(hash)
        .bind(crate::now())
        .execute(db.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(DirectoryError::NotFound(format!(
            "no citizen account for {nir}"
        )));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountState::*;

    #[test]
    fn transitions() {
        let table = [
            (Pending, Action::Activate, Ok(Active)),
            (Pending, Action::Oppose, Ok(Opposed)),
            (Pending, Action::Close, Err("only an active account")),
            (Pending, Action::AutoOpen, Ok(Active)),
            (Active, Action::Activate, Err("already active")),
            (Active, Action::Oppose, Err("close the account instead")),
            (Active, Action::Close, Ok(Closed)),
            (Active, Action::AutoOpen, Err("not pending")),
            (Opposed, Action::Activate, Ok(Active)),
            (Opposed, Action::Oppose, Err("already opposed")),
            (Opposed, Action::Close, Err("only an active account")),
            (Opposed, Action::AutoOpen, Err("not pending")),
            (Closed, Action::Activate, Ok(Active)),
            (Closed, Action::Oppose, Err("already closed")),
            (Closed, Action::Close, Err("only an active account")),
            (Closed, Action::AutoOpen, Err("not pending")),
        ];
        for (from, action, want) in table {
            match (next_state(from, action), want) {
                (Ok(s), Ok(w)) => assert_eq!(s, w, "{from:?} {action:?}"),
                (Err(e), Err(w)) => assert!(e.contains(w), "{from:?} {action:?}: {e}"),
                (got, want) => panic!("{from:?} {action:?}: got {got:?}, want {want:?}"),
            }
        }
    }
}
