//! Search of the health professionals a citizen may name (médecin traitant, blocking), by name
//! or RPPS number, in the directory's professionals (PS_LibreAcces: `dir_professional`).

use sqlx::Row;

/// Most results of one search: the citizen refines the query rather than scrolls.
pub const MAX_RESULTS: usize = 20;
const MAX_TERMS: usize = 4;

/// One professional as the pages show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfessionalHit {
    /// 11 digits.
    pub rpps: String,
    /// "Dr Léa ROUSSEAU".
    pub name: String,
    /// "Médecin — Cardiologie et maladies vasculaires (SM)".
    pub profession: String,
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

/// The search words: lower-cased, at most 4, each at least 2 characters.
pub fn terms(query: &str) -> Vec<String> {
    query
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| t.chars().count() >= 2)
        .take(MAX_TERMS)
        .collect()
}

const SELECT: &str = "SELECT pp_id, civility, first_name, last_name, profession_label, \
     skill_label FROM dir_professional WHERE active AND id_type = '8'";

fn hit(r: &sqlx::any::AnyRow) -> Result<ProfessionalHit, sqlx::Error> {
    let s = |c: &str| r.try_get::<Option<String>, _>(c);
    let civility = s("civility")?.unwrap_or_default();
    // The national extract spells the title out ("Docteur") or abbreviates it ("DR").
    let title = health::synthesis::civility_title(&civility);
    let name = format!(
        "{title}{} {}",
        s("first_name")?.unwrap_or_default(),
        s("last_name")?.unwrap_or_default()
    );
    let profession = [s("profession_label")?, s("skill_label")?]
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" — ");
    Ok(ProfessionalHit {
        rpps: r.try_get("pp_id")?,
        name: name.trim().to_string(),
        profession,
    })
}

/// Professionals whose RPPS is `query` (11 digits, or 12 with the leading `8`), or whose name
/// contains every word of `query`.
pub async fn professionals(
    db: &store::Db,
    query: &str,
) -> Result<Vec<ProfessionalHit>, sqlx::Error> {
    if let Ok(rpps) = dmp_bridge::patient::normalize_rpps(query) {
        return one(db, &rpps).await.map(|h| h.into_iter().collect());
    }
    let terms = terms(query);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SELECT.to_string();
    for i in 1..=terms.len() {
        sql.push_str(&format!(
            " AND (LOWER(COALESCE(last_name, '')) LIKE ${i} ESCAPE '\\' \
             OR LOWER(COALESCE(first_name, '')) LIKE ${i} ESCAPE '\\')"
        ));
    }
    sql.push_str(&format!(
        " ORDER BY last_name, first_name, pp_id LIMIT {MAX_RESULTS}"
    ));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for t in &terms {
        q = q.bind(like_pattern(t));
    }
    q.fetch_all(db.pool()).await?.iter().map(hit).collect()
}

/// The professional of an RPPS, if the directory knows them.
pub async fn one(db: &store::Db, rpps: &str) -> Result<Option<ProfessionalHit>, sqlx::Error> {
    let sql = format!("{SELECT} AND pp_id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(rpps.to_string())
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(hit).transpose()
}

#[cfg(test)]
mod tests {
    use super::{like_pattern, terms};

    #[test]
    fn search_words() {
        assert_eq!(terms("Léa  ROUSSEAU, x"), vec!["léa", "rousseau"]);
        assert!(terms("a b").is_empty());
        assert_eq!(like_pattern("50%_"), "%50\\%\\_%");
    }
}
