//! Search of the officines a citizen may write to (DESIGN §4: citizen → pharmacy is always
//! allowed), by name, town or postcode, for the webmail's "Écrire à une pharmacie" page.
//!
//! An officine is an active ORG mailbox whose structure is an officine of the PS_LibreAcces
//! extract (sectors in [`crate::import::rpps::OFFICINE_SECTORS`]) or that the operator marked
//! (`directory mark-pharmacy`) — the same rule as [`crate::lookup::mailbox`].

use serde::Serialize;
use sqlx::Row;
use store::Db;

use crate::DirectoryError;

/// Most results of one search: a citizen refines the query rather than scrolls.
pub const MAX_RESULTS: usize = 30;
/// Words of a query taken into account.
const MAX_TERMS: usize = 4;

/// One officine as the search shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Officine {
    pub address: String,
    /// Trade name (enseigne), else the company name (raison sociale).
    pub name: String,
    pub street: Option<String>,
    /// `37000 TOURS`.
    pub city_line: Option<String>,
    pub postal_code: Option<String>,
}

/// `%term%` for `LIKE … ESCAPE '\'`, with the user's `%`, `_` and `\` taken literally.
fn like_pattern(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// French accented letters folded to ASCII (lower-case input), for towns written without accents.
fn without_accents(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term.chars() {
        match c {
            'à' | 'â' | 'ä' | 'á' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            other => out.push(other),
        }
    }
    out
}

/// The search words: lower-cased, at most [`MAX_TERMS`], each at least 2 characters (a single
/// letter would list the whole country).
pub fn terms(query: &str) -> Vec<String> {
    query
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| t.chars().count() >= 2)
        .take(MAX_TERMS)
        .collect()
}

const OFFICINE_FILTER: &str = "m.kind = 'ORG' AND m.active AND (\
     EXISTS (SELECT 1 FROM dir_pharmacy_mark pm WHERE pm.address = m.address) \
     OR EXISTS (SELECT 1 FROM dir_structure s WHERE s.active AND s.is_officine \
     AND (s.finess_site = m.structure_id OR s.siret = m.structure_id)))";

/// Officines whose name, brand, town or postcode contains every word of `query`, by name.
/// An empty query (or only one-letter words) finds nothing.
pub async fn search(db: &Db, query: &str) -> Result<Vec<Officine>, DirectoryError> {
    let terms = terms(query);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = format!(
        "SELECT m.address, m.structure_name, m.structure_brand, m.street, m.city_line, \
         m.postal_code FROM dir_mailbox m WHERE {OFFICINE_FILTER}"
    );
    // Each word is tried three ways, because SQLite's LOWER() and LIKE fold ASCII only and the
    // national extract writes names in capitals, towns often without accents: as typed
    // (lower-case), in capitals ("écoles" finds "PHARMACIE DES ÉCOLES") and without accents
    // ("orléans" finds "45000 ORLEANS").
    for (i, _) in terms.iter().enumerate() {
        let (lower, upper, plain) = (3 * i + 1, 3 * i + 2, 3 * i + 3);
        let mut alternatives = Vec::new();
        for col in ["m.structure_name", "m.structure_brand", "m.city_line"] {
            alternatives.push(format!(
                "LOWER(COALESCE({col}, '')) LIKE ${lower} ESCAPE '\\' \
                 OR COALESCE({col}, '') LIKE ${upper} ESCAPE '\\' \
                 OR LOWER(COALESCE({col}, '')) LIKE ${plain} ESCAPE '\\'"
            ));
        }
        alternatives.push(format!(
            "COALESCE(m.postal_code, '') LIKE ${lower} ESCAPE '\\'"
        ));
        sql.push_str(&format!(" AND ({})", alternatives.join(" OR ")));
    }
    sql.push_str(&format!(
        " ORDER BY COALESCE(m.structure_brand, m.structure_name, m.address), m.address LIMIT {MAX_RESULTS}"
    ));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for t in &terms {
        q = q
            .bind(like_pattern(t))
            .bind(like_pattern(&t.to_uppercase()))
            .bind(like_pattern(&without_accents(t)));
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.iter().map(officine_from_row).collect()
}

/// The officine at `address`, if that address is one (the compose page checks the recipient it
/// is given against this before anything else; the policy checks again when sending).
pub async fn officine(db: &Db, address: &str) -> Result<Option<Officine>, DirectoryError> {
    let Some(address) = crate::model::normalize_address(address) else {
        return Ok(None);
    };
    let sql = format!(
        "SELECT m.address, m.structure_name, m.structure_brand, m.street, m.city_line, \
         m.postal_code FROM dir_mailbox m WHERE m.address = $1 AND {OFFICINE_FILTER}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(address)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(officine_from_row).transpose()
}

fn officine_from_row(r: &sqlx::any::AnyRow) -> Result<Officine, DirectoryError> {
    let address: String = r.try_get("address")?;
    let brand: Option<String> = r.try_get("structure_brand")?;
    let legal: Option<String> = r.try_get("structure_name")?;
    let name = brand
        .filter(|b| !b.trim().is_empty())
        .or(legal.filter(|b| !b.trim().is_empty()))
        .unwrap_or_else(|| address.clone());
    Ok(Officine {
        address,
        name,
        street: r.try_get("street")?,
        city_line: r.try_get("city_line")?,
        postal_code: r.try_get("postal_code")?,
    })
}

#[cfg(test)]
mod tests {
    use super::{like_pattern, terms, without_accents};

    #[test]
    fn accents_are_folded() {
        assert_eq!(without_accents("orléans"), "orleans");
        assert_eq!(without_accents("saint-éloi"), "saint-eloi");
        assert_eq!(without_accents("cœur"), "coeur");
    }

    #[test]
    fn query_words() {
        assert_eq!(terms("  Tours 37000 "), vec!["tours", "37000"]);
        assert_eq!(terms("a, Gare"), vec!["gare"]);
        assert!(terms("").is_empty());
        assert_eq!(terms("a b c d e f g h").len(), 0);
        assert_eq!(terms("aa bb cc dd ee").len(), 4);
    }

    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(like_pattern("50%_x\\"), "%50\\%\\_x\\\\%");
    }
}
