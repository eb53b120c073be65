//! A DMP document and its rows (table `dmp_document`, migration 0007). Content lives in the
//! store's blob store, written and fsynced before the row that names it is committed (DESIGN §5).
//! Queries use `$N` placeholders and integer booleans, like the rest of the store
//! (docs/decisions.md).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use store::{BlobId, Db};

use crate::categories::Category;
use crate::error::{DmpError, Result};

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Filed by the citizen from a mail attachment.
    Mail,
    /// Filed from an IHE XDM package (mail attachment, API deposit or re-import of an export).
    Xdm,
    /// Uploaded by the citizen.
    Upload,
    /// Deposited by a professional through the API.
    Api,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Mail => "mail",
            Source::Xdm => "xdm",
            Source::Upload => "upload",
            Source::Api => "api",
        }
    }
    pub fn parse(s: &str) -> Option<Source> {
        [Source::Mail, Source::Xdm, Source::Upload, Source::Api]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// Who wrote a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    /// A health professional, `author_id` is the RPPS.
    Professional,
    /// The patient, `author_id` is the INS.
    Patient,
    /// A structure or software without a person (`author_structure` only).
    Structure,
}

impl AuthorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorKind::Professional => "professional",
            AuthorKind::Patient => "patient",
            AuthorKind::Structure => "structure",
        }
    }
    pub fn parse(s: &str) -> Option<AuthorKind> {
        match s {
            "professional" => Some(AuthorKind::Professional),
            "patient" => Some(AuthorKind::Patient),
            "structure" => Some(AuthorKind::Structure),
            _ => None,
        }
    }
}

/// Visibility flags. The first three are the DMP confidentiality codes (scheme
/// 1.2.250.1.213.1.1.4.13); `hidden_by_patient` is the citizen's own choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visibility {
    /// MASQUE_PS: hidden from professionals (except the author and the médecin traitant).
    pub masque_ps: bool,
    /// INVISIBLE_PATIENT: hidden from the patient until the announcement consultation.
    pub invisible_patient: bool,
    /// INVISIBLE_REP_LEGAUX: hidden from a minor's legal representatives.
    pub invisible_rep_legaux: bool,
    /// The patient hid it from professionals.
    pub hidden_by_patient: bool,
}

impl Visibility {
    /// Hidden from professionals, whoever asked for it.
    pub fn hidden_from_professionals(&self) -> bool {
        self.masque_ps || self.hidden_by_patient
    }
}

/// The descriptive part of a document, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// XDSDocumentEntry.uniqueId; generated when empty.
    pub unique_id: String,
    pub title: String,
    pub category: Category,
    pub type_code: Option<String>,
    pub type_label: Option<String>,
    pub class_code: Option<String>,
    pub format_code: Option<String>,
    pub mime_type: String,
    pub file_name: String,
    pub author_kind: AuthorKind,
    pub author_id: Option<String>,
    pub author_name: Option<String>,
    pub author_structure: Option<String>,
    /// Creation date of the document (Unix seconds).
    pub created_at: i64,
    pub source: Source,
    pub visibility: Visibility,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub id: i64,
    pub patient_ins: String,
    #[serde(flatten)]
    pub meta: DocumentMeta,
    /// When it entered this DMP (Unix seconds).
    pub filed_at: i64,
    pub blob_id: String,
    pub size: i64,
}

impl Document {
    pub fn blob(&self) -> Result<BlobId> {
        Ok(BlobId::parse(&self.blob_id)?)
    }
}

/// A fresh OID under the UUID arc 2.25 (ITU-T X.667), for documents that come without one.
pub fn new_unique_id(seed: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(seed);
    h.update(store::db::now_unix().to_be_bytes());
    h.update(std::process::id().to_be_bytes());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    h.update(nanos.to_be_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    format!("2.25.{}", u128::from_be_bytes(b))
}

const COLUMNS: &str = "id, patient_ins, unique_id, title, category, type_code, type_label, \
    class_code, format_code, mime_type, file_name, author_kind, author_id, author_name, \
    author_structure, created_at, filed_at, source, blob_id, size, masque_ps, invisible_patient, \
    invisible_rep_legaux, hidden_by_patient";

fn from_row(r: &AnyRow) -> Result<Document> {
    let flag = |c: &str| r.try_get::<i64, _>(c).map(|v| v != 0);
    let category: String = r.try_get("category")?;
    let author_kind: String = r.try_get("author_kind")?;
    let source: String = r.try_get("source")?;
    Ok(Document {
        id: r.try_get("id")?,
        patient_ins: r.try_get("patient_ins")?,
        meta: DocumentMeta {
            unique_id: r.try_get("unique_id")?,
            title: r.try_get("title")?,
            category: Category::from_slug(&category).unwrap_or(Category::Autres),
            type_code: r.try_get("type_code")?,
            type_label: r.try_get("type_label")?,
            class_code: r.try_get("class_code")?,
            format_code: r.try_get("format_code")?,
            mime_type: r.try_get("mime_type")?,
            file_name: r.try_get("file_name")?,
            author_kind: AuthorKind::parse(&author_kind)
                .ok_or_else(|| DmpError::Internal(format!("author kind `{author_kind}`")))?,
            author_id: r.try_get("author_id")?,
            author_name: r.try_get("author_name")?,
            author_structure: r.try_get("author_structure")?,
            created_at: r.try_get("created_at")?,
            source: Source::parse(&source)
                .ok_or_else(|| DmpError::Internal(format!("source `{source}`")))?,
            visibility: Visibility {
                masque_ps: flag("masque_ps")?,
                invisible_patient: flag("invisible_patient")?,
                invisible_rep_legaux: flag("invisible_rep_legaux")?,
                hidden_by_patient: flag("hidden_by_patient")?,
            },
        },
        filed_at: r.try_get("filed_at")?,
        blob_id: r.try_get("blob_id")?,
        size: r.try_get("size")?,
    })
}

/// Inserts a document whose blob is already durable. Idempotent on (patient, uniqueId): filing
/// the same document twice returns the existing id and `false`.
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    patient_ins: &str,
    meta: &DocumentMeta,
    blob: &BlobId,
    size: u64,
) -> Result<(i64, bool)> {
    let b = |v: bool| i64::from(v);
    let size = i64::try_from(size).map_err(|_| DmpError::Invalid("document too large".into()))?;
    let row = sqlx::query(
        "INSERT INTO dmp_document (patient_ins, unique_id, title, category, type_code, type_label, \
         class_code, format_code, mime_type, file_name, author_kind, author_id, author_name, \
         author_structure, created_at, filed_at, source, blob_id, size, masque_ps, \
         invisible_patient, invisible_rep_legaux, hidden_by_patient) VALUES ($1, $2, $3, $4, $5, \
         $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) \
         ON CONFLICT (patient_ins, unique_id) DO NOTHING RETURNING id",
    )
    .bind(patient_ins.to_string())
    .bind(meta.unique_id.clone())
    .bind(meta.title.clone())
    .bind(meta.category.slug())
    .bind(meta.type_code.clone())
    .bind(meta.type_label.clone())
    .bind(meta.class_code.clone())
    .bind(meta.format_code.clone())
    .bind(meta.mime_type.clone())
    .bind(meta.file_name.clone())
    .bind(meta.author_kind.as_str())
    .bind(meta.author_id.clone())
    .bind(meta.author_name.clone())
    .bind(meta.author_structure.clone())
    .bind(meta.created_at)
    .bind(store::db::now_unix())
    .bind(meta.source.as_str())
    .bind(blob.as_str().to_string())
    .bind(size)
    .bind(b(meta.visibility.masque_ps))
    .bind(b(meta.visibility.invisible_patient))
    .bind(b(meta.visibility.invisible_rep_legaux))
    .bind(b(meta.visibility.hidden_by_patient))
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = row {
        return Ok((row.try_get("id")?, true));
    }
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM dmp_document WHERE patient_ins = $1 AND unique_id = $2")
            .bind(patient_ins.to_string())
            .bind(meta.unique_id.clone())
            .fetch_one(&mut **tx)
            .await?;
    Ok((id, false))
}

/// One document by id.
pub async fn get(db: &Db, id: i64) -> Result<Option<Document>> {
    let sql = format!("SELECT {COLUMNS} FROM dmp_document WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// All documents of a patient, newest first (no access filtering: callers filter).
pub async fn list(db: &Db, patient_ins: &str) -> Result<Vec<Document>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM dmp_document WHERE patient_ins = $1 \
         ORDER BY created_at DESC, id DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(patient_ins.to_string())
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Removes a document row (the blob stays: it is content-addressed and may be shared).
pub async fn delete(db: &Db, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM dmp_document WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The patient hides (`true`) or shows again (`false`) a document to professionals. Showing it
/// again also lifts a MASQUE_PS set at the patient's request by the author.
pub async fn set_hidden_by_patient(db: &Db, id: i64, hidden: bool) -> Result<()> {
    let sql = if hidden {
        "UPDATE dmp_document SET hidden_by_patient = 1 WHERE id = $1"
    } else {
        "UPDATE dmp_document SET hidden_by_patient = 0, masque_ps = 0 WHERE id = $1"
    };
    sqlx::query(sql).bind(id).execute(db.pool()).await?;
    Ok(())
}

/// The professional makes an INVISIBLE_PATIENT document visible (after the announcement
/// consultation).
pub async fn release_to_patient(db: &Db, id: i64) -> Result<()> {
    sqlx::query("UPDATE dmp_document SET invisible_patient = 0 WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Parses an XDS/HL7 DTM (`YYYYMMDD[hhmm[ss]]`, UTC per ITI TF-3 4.2.3.1.2) into Unix seconds.
pub fn parse_dtm(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|v| v.parse::<u32>().ok());
    let year = i32::try_from(n(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?;
    let day = u8::try_from(n(6..8)?).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let hh = u8::try_from(n(8..10).unwrap_or(0)).ok()?;
    let mm = u8::try_from(n(10..12).unwrap_or(0)).ok()?;
    let ss = u8::try_from(n(12..14).unwrap_or(0)).ok()?;
    let t = time::Time::from_hms(hh, mm, ss).ok()?;
    Some(date.with_time(t).assume_utc().unix_timestamp())
}

/// Formats Unix seconds as an XDS DTM `YYYYMMDDhhmmss` (UTC).
pub fn format_dtm(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtm_round_trip() {
        let cases = [
            ("20261118093000", Some(1_794_994_200)),
            ("20261118", Some(1_794_960_000)),
            ("2026111809", Some(1_794_992_400)),
            ("20261318", None),
            ("x", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_dtm(s), want, "{s}");
        }
        assert_eq!(format_dtm(1_794_994_200), "20261118093000");
    }

    #[test]
    fn unique_ids_are_oids() {
        let a = new_unique_id(b"a");
        assert!(a.starts_with("2.25."));
        assert!(a[5..].bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(a, new_unique_id(b"b"));
    }
}
