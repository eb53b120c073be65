//! The catalogue in the database (table `catalogue_service`): replaced as a whole by an import,
//! in one transaction, and read back for the pages.

use std::collections::HashMap;

use sqlx::Row;
use store::Db;

use super::model::{Audience, Category, Service};
use super::search::fold;
use crate::error::{HealthError, Result};

/// What an import changed, for the operator's one-line summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Services in the catalogue after the import.
    pub total: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} service(s) au catalogue : {} ajouté(s), {} modifié(s), {} inchangé(s), {} retiré(s)",
            self.total, self.added, self.updated, self.unchanged, self.removed
        )
    }
}

/// Every column [`service_of`] reads (a literal: sqlx only takes static SQL).
const SELECT_ALL: &str = "SELECT service_key, name, publisher, category, description, url, free, \
                          audience FROM catalogue_service";

/// Makes the catalogue exactly `services` (already validated), keyed by [`Service::key`]: a
/// service that did not change is not written again, so importing the same file twice changes
/// nothing. All or nothing: one write transaction.
pub async fn replace(db: &Db, services: &[Service]) -> Result<ImportSummary> {
    let now = store::db::now_unix();
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(SELECT_ALL).fetch_all(&mut *tx).await?;
    let mut before: HashMap<String, Service> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let s = service_of(row)?;
        before.insert(s.key.clone(), s);
    }
    let mut summary = ImportSummary {
        total: services.len(),
        ..ImportSummary::default()
    };
    for s in services {
        match before.remove(&s.key) {
            Some(old) if old == *s => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => summary.updated += 1,
            None => summary.added += 1,
        }
        sqlx::query(
            "INSERT INTO catalogue_service (service_key, name, publisher, category, description, \
             url, free, audience, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (service_key) DO UPDATE SET name = excluded.name, \
             publisher = excluded.publisher, category = excluded.category, \
             description = excluded.description, url = excluded.url, free = excluded.free, \
             audience = excluded.audience, updated_at = excluded.updated_at",
        )
        .bind(s.key.clone())
        .bind(s.name.clone())
        .bind(s.publisher.clone())
        .bind(s.category.slug())
        .bind(s.description.clone())
        .bind(s.url.clone())
        .bind(i64::from(s.free))
        .bind(audience_column(&s.audience))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    // What is left was in the catalogue and is not in the file any more.
    for key in before.keys() {
        sqlx::query("DELETE FROM catalogue_service WHERE service_key = $1")
            .bind(key.clone())
            .execute(&mut *tx)
            .await?;
        summary.removed += 1;
    }
    tx.commit().await?;
    tracing::info!(
        total = summary.total,
        added = summary.added,
        updated = summary.updated,
        removed = summary.removed,
        "catalogue imported"
    );
    Ok(summary)
}

/// The whole catalogue, by category (page order) then name.
pub async fn list(db: &Db) -> Result<Vec<Service>> {
    let rows = sqlx::query(SELECT_ALL).fetch_all(db.pool()).await?;
    let mut services = rows.iter().map(service_of).collect::<Result<Vec<_>>>()?;
    services.sort_by_cached_key(|s| (s.category, fold(&s.name), s.key.clone()));
    Ok(services)
}

fn audience_column(audience: &[Audience]) -> String {
    audience
        .iter()
        .map(|a| a.slug())
        .collect::<Vec<_>>()
        .join(",")
}

fn service_of(row: &sqlx::any::AnyRow) -> Result<Service> {
    let category: String = row.try_get("category")?;
    let audience: String = row.try_get("audience")?;
    let audience = audience
        .split(',')
        .map(|a| {
            Audience::from_slug(a)
                .ok_or_else(|| HealthError::Internal(format!("unknown audience in catalogue: {a}")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Service {
        key: row.try_get("service_key")?,
        name: row.try_get("name")?,
        publisher: row.try_get("publisher")?,
        category: Category::from_slug(&category).ok_or_else(|| {
            HealthError::Internal(format!("unknown category in catalogue: {category}"))
        })?,
        description: row.try_get("description")?,
        url: row.try_get("url")?,
        free: row.try_get::<i64, _>("free")? != 0,
        audience,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(key: &str, name: &str, category: Category) -> Service {
        Service {
            key: key.into(),
            name: name.into(),
            publisher: "Éditeur".into(),
            category,
            description: "Description.".into(),
            url: format!("https://{key}.example.fr/"),
            free: true,
            audience: vec![Audience::Parents, Audience::Seniors],
        }
    }

    #[tokio::test]
    async fn replace_is_idempotent_and_counts_changes_on_both_backends() {
        store::testing::for_each_backend(|db| async move {
            let first = vec![
                service("b", "Zèbre", Category::Nutrition),
                service("a", "Écoute", Category::SanteMentale),
                service("c", "Abri", Category::Nutrition),
            ];
            let s = replace(&db, &first).await.expect("import");
            assert_eq!((s.total, s.added, s.updated, s.removed), (3, 3, 0, 0));
            let s = replace(&db, &first).await.expect("again");
            assert_eq!((s.added, s.updated, s.unchanged, s.removed), (0, 0, 3, 0));

            let listed = list(&db).await.expect("list");
            let names: Vec<&str> = listed.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["Écoute", "Abri", "Zèbre"]);
            assert_eq!(listed[0], first[1]);

            let mut second = vec![first[0].clone(), service("d", "Dé", Category::Autre)];
            second[0].free = false;
            let s = replace(&db, &second).await.expect("replace");
            assert_eq!(
                (s.total, s.added, s.updated, s.unchanged, s.removed),
                (2, 1, 1, 0, 2)
            );
            let listed = list(&db).await.expect("list");
            assert_eq!(listed.len(), 2);
            assert!(listed.iter().any(|s| s.key == "b" && !s.free));
        })
        .await;
    }
}
