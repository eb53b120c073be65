//! What the directory knows about one address, pharmacies, and the whitelist.

use serde::Serialize;
use sqlx::Row;
use store::Db;

use crate::DirectoryError;
use crate::accounts::{self, Account};
use crate::model::{MailboxKind, ascii_domain, normalize_address};

/// A mailbox of the national directory, as `directory lookup` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailboxInfo {
    pub address: String,
    pub kind: MailboxKind,
    pub active: bool,
    pub pharmacy: bool,
    /// Marked a pharmacy by the operator (`directory mark-pharmacy`).
    pub pharmacy_marked: bool,
    pub civility: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub pp_id_type: Option<String>,
    pub pp_id: Option<String>,
    pub pp_national_id: Option<String>,
    pub profession_code: Option<String>,
    pub profession: Option<String>,
    pub skill: Option<String>,
    pub structure_id_type: Option<String>,
    pub structure_id: Option<String>,
    pub structure_name: Option<String>,
    pub structure_brand: Option<String>,
    pub service: Option<String>,
    pub street: Option<String>,
    pub city_line: Option<String>,
    pub postal_code: Option<String>,
    pub department: Option<String>,
}

/// The answer of [`lookup`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Entry {
    Mailbox(MailboxInfo),
    Citizen {
        #[serde(flatten)]
        account: Account,
        guardians: Vec<String>,
        children: Vec<String>,
    },
}

const MAILBOX_SELECT: &str = "SELECT address, kind, CASE WHEN active THEN 1 ELSE 0 END AS active, civility, first_name, last_name, \
     pp_id_type, pp_id, pp_national_id, profession_code, profession_label, skill_label, \
     structure_id_type, structure_id, structure_name, structure_brand, service, street, city_line, \
     postal_code, department FROM dir_mailbox WHERE address = $1";

/// The directory entry of `address` (a mailbox or a citizen), if any.
pub async fn lookup(db: &Db, address: &str) -> Result<Option<Entry>, DirectoryError> {
    let address =
        normalize_address(address).ok_or_else(|| DirectoryError::BadAddress(address.into()))?;
    if let Some(m) = mailbox(db, &address).await? {
        return Ok(Some(Entry::Mailbox(m)));
    }
    if let Some(account) = accounts::account(db, &address).await? {
        let guardians = accounts::guardians_of(db, &account.nir).await?;
        let children = accounts::children_of(db, &account.nir).await?;
        return Ok(Some(Entry::Citizen {
            account,
            guardians,
            children,
        }));
    }
    Ok(None)
}

/// The mailbox at a normalised `address`, with its pharmacy status.
pub async fn mailbox(db: &Db, address: &str) -> Result<Option<MailboxInfo>, DirectoryError> {
    let Some(r) = sqlx::query(MAILBOX_SELECT)
        .bind(address.to_string())
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let kind: String = r.try_get("kind")?;
    let kind = MailboxKind::parse(&kind)
        .ok_or_else(|| DirectoryError::Invalid(format!("unknown mailbox kind `{kind}`")))?;
    let structure_id: Option<String> = r.try_get("structure_id")?;
    let marked = is_marked(db, address).await?;
    let officine = match (&kind, &structure_id) {
        (MailboxKind::Org, Some(id)) => structure_is_officine(db, id).await?,
        _ => false,
    };
    let s = |c: &str| r.try_get::<Option<String>, _>(c);
    Ok(Some(MailboxInfo {
        address: r.try_get("address")?,
        kind,
        active: crate::flag(&r, "active")?,
        pharmacy: kind == MailboxKind::Org && (marked || officine),
        pharmacy_marked: marked,
        civility: s("civility")?,
        first_name: s("first_name")?,
        last_name: s("last_name")?,
        pp_id_type: s("pp_id_type")?,
        pp_id: s("pp_id")?,
        pp_national_id: s("pp_national_id")?,
        profession_code: s("profession_code")?,
        profession: s("profession_label")?,
        skill: s("skill_label")?,
        structure_id_type: s("structure_id_type")?,
        structure_id,
        structure_name: s("structure_name")?,
        structure_brand: s("structure_brand")?,
        service: s("service")?,
        street: s("street")?,
        city_line: s("city_line")?,
        postal_code: s("postal_code")?,
        department: s("department")?,
    }))
}

async fn is_marked(db: &Db, address: &str) -> Result<bool, DirectoryError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dir_pharmacy_mark WHERE address = $1")
        .bind(address.to_string())
        .fetch_one(db.pool())
        .await?;
    Ok(n > 0)
}

/// Whether an active structure of the PS_LibreAcces extract with this FINESS site or SIRET is an
/// officine (see [`crate::import::rpps::OFFICINE_SECTORS`]).
pub async fn structure_is_officine(db: &Db, structure_id: &str) -> Result<bool, DirectoryError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM dir_structure WHERE active AND is_officine \
         AND (finess_site = $1 OR siret = $1)",
    )
    .bind(structure_id.to_string())
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// Marks the ORG mailbox at `address` as a pharmacy. The mark is the operator's and survives
/// every re-import. Refused for an address that is not an ORG mailbox of the directory.
pub async fn mark_pharmacy(db: &Db, address: &str) -> Result<MailboxInfo, DirectoryError> {
    let norm =
        normalize_address(address).ok_or_else(|| DirectoryError::BadAddress(address.into()))?;
    let Some(m) = mailbox(db, &norm).await? else {
        return Err(DirectoryError::NotFound(format!(
            "{norm} is not in the directory: import the Extraction_Correspondance_MSSante extract \
             that lists it first"
        )));
    };
    if m.kind != MailboxKind::Org {
        return Err(DirectoryError::Invalid(format!(
            "{norm} is a {} mailbox: only an ORG mailbox (an officine) can be a pharmacy",
            m.kind.as_str()
        )));
    }
    sqlx::query(
        "INSERT INTO dir_pharmacy_mark (address, marked_at) VALUES ($1, $2) \
         ON CONFLICT (address) DO NOTHING",
    )
    .bind(norm.clone())
    .bind(crate::now())
    .execute(db.pool())
    .await?;
    mailbox(db, &norm)
        .await?
        .ok_or_else(|| DirectoryError::NotFound(norm))
}

/// Removes the operator's pharmacy mark. Returns whether there was one.
pub async fn unmark_pharmacy(db: &Db, address: &str) -> Result<bool, DirectoryError> {
    let norm =
        normalize_address(address).ok_or_else(|| DirectoryError::BadAddress(address.into()))?;
    let done = sqlx::query("DELETE FROM dir_pharmacy_mark WHERE address = $1")
        .bind(norm)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether `domain` (Unicode or punycode) is an active domain of the imported whitelist.
pub async fn is_whitelisted(db: &Db, domain: &str) -> Result<bool, DirectoryError> {
    let Some(ascii) = ascii_domain(domain) else {
        return Ok(false);
    };
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM dir_whitelist WHERE domain = $1 AND active")
            .bind(ascii)
            .fetch_one(db.pool())
            .await?;
    Ok(n > 0)
}

/// The active whitelisted domains whose operator certificate has this DN (as written in the
/// whitelist), for the check of an inbound operator's certificate (DESIGN §4).
pub async fn domains_for_operator_dn(db: &Db, dn: &str) -> Result<Vec<String>, DirectoryError> {
    Ok(sqlx::query_scalar(
        "SELECT domain FROM dir_whitelist WHERE operator_dn = $1 AND active ORDER BY domain",
    )
    .bind(dn.trim().to_string())
    .fetch_all(db.pool())
    .await?)
}

/// The operator certificate DN of an active whitelisted `domain`: `None` when the domain is not
/// on the whitelist, `Some(None)` when it is but names no DN. (For the port-25 check; see also
/// [`crate::whitelist::lookup_for_peer`] and [`crate::whitelist::certificate_matches`].)
pub async fn whitelist_entry(
    db: &Db,
    domain: &str,
) -> Result<Option<Option<String>>, DirectoryError> {
    Ok(crate::whitelist::lookup_for_peer(db, domain)
        .await?
        .map(|e| e.operator_dn))
}
