//! The catalogue of referenced health services (issue 9): `/catalogue?q=…&categorie=…`. Search by
//! words (name, publisher, description; case and accents ignored), filter by category with a
//! plain form (no JavaScript needed), counts per category. The services are the operator's
//! (`santemail catalogue import`); the page only reads them.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use health::catalogue::{self, Category, Service};
use serde::Deserialize;

use crate::error::WebError;
use crate::security::CitizenSession;
use crate::state::AppState;
use crate::views::{Layout, render};

pub fn routes() -> Router<AppState> {
    Router::new().route("/catalogue", get(page))
}

/// A search longer than this is cut: nobody types more, and it bounds the work per request.
const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogueQuery {
    q: Option<String>,
    categorie: Option<String>,
}

/// One service as the page shows it.
struct ServiceRow {
    /// For the element ids: the key made safe (a URL key has `:` and `/`).
    anchor: String,
    name: String,
    publisher: String,
    category: &'static str,
    description: String,
    url: String,
    /// The address without `https://` and without a lone trailing `/`, as people read it.
    url_shown: String,
    free: bool,
    pricing: &'static str,
    audience: String,
}

impl ServiceRow {
    fn of(s: &Service, index: usize) -> ServiceRow {
        let shown = s.url.trim_start_matches("https://");
        let shown = shown.strip_suffix('/').unwrap_or(shown);
        ServiceRow {
            anchor: anchor(&s.key, index),
            name: s.name.clone(),
            publisher: s.publisher.clone(),
            category: s.category.label(),
            description: s.description.clone(),
            url: s.url.clone(),
            url_shown: shown.to_string(),
            free: s.free,
            pricing: s.pricing_label(),
            audience: s.audience_label(),
        }
    }
}

/// `ecoute-jeunes` stays; anything else gets the row's position, so ids stay valid and unique.
fn anchor(key: &str, index: usize) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        key.to_string()
    } else {
        format!("n{index}")
    }
}

/// A category in the select and in the counts list.
struct CategoryRow {
    slug: &'static str,
    label: &'static str,
    count: usize,
    selected: bool,
    /// This category with the current words.
    href: String,
}

#[derive(Template)]
#[template(path = "catalogue/page.html")]
struct CataloguePage {
    layout: Layout,
    query: String,
    chosen: Option<&'static str>,
    categories: Vec<CategoryRow>,
    services: Vec<ServiceRow>,
    /// Services matching the words, all categories together.
    total: usize,
    /// The catalogue has no service at all (nothing imported yet).
    empty_catalogue: bool,
    /// Everything in the chosen category, with the current words.
    all_href: String,
}

async fn page(
    State(state): State<AppState>,
    session: CitizenSession,
    uri: Uri,
) -> Result<Response, WebError> {
    // A mangled address (a field twice, say) shows the whole catalogue, not an English error.
    let params = Query::<CatalogueQuery>::try_from_uri(&uri)
        .map(|Query(p)| p)
        .unwrap_or_default();
    let layout = Layout::for_session(&state, &session).await?;
    let query: String = params
        .q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect();
    // An unknown category (an old link) shows everything rather than an error page.
    let chosen = params.categorie.as_deref().and_then(Category::from_slug);
    let all = catalogue::list(&state.db)
        .await
        .map_err(WebError::internal)?;
    let result = catalogue::search(&all, &query, chosen);
    let categories = result
        .counts
        .iter()
        .map(|(c, count)| CategoryRow {
            slug: c.slug(),
            label: c.label(),
            count: *count,
            selected: Some(*c) == chosen,
            href: href(&query, Some(*c)),
        })
        .collect();
    render(&CataloguePage {
        layout,
        chosen: chosen.map(Category::label),
        categories,
        services: result
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| ServiceRow::of(s, i))
            .collect(),
        total: result.total,
        empty_catalogue: all.is_empty(),
        all_href: href(&query, None),
        query,
    })
}

/// `/catalogue?q=…&categorie=…`, with the words percent-encoded.
fn href(query: &str, category: Option<Category>) -> String {
    let mut parts = Vec::new();
    if !query.is_empty() {
        parts.push(format!("q={}", form_encode(query)));
    }
    if let Some(c) = category {
        parts.push(format!("categorie={}", c.slug()));
    }
    if parts.is_empty() {
        "/catalogue".to_string()
    } else {
        format!("/catalogue?{}", parts.join("&"))
    }
}

/// application/x-www-form-urlencoded: unreserved bytes as they are, space as `+`, the rest `%XX`.
fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_words_encoded() {
        let cases = [
            ("", None, "/catalogue"),
            (
                "",
                Some(Category::Nutrition),
                "/catalogue?categorie=nutrition",
            ),
            (
                "santé mentale",
                Some(Category::SanteMentale),
                "/catalogue?q=sant%C3%A9+mentale&categorie=sante-mentale",
            ),
            ("a&b=c", None, "/catalogue?q=a%26b%3Dc"),
        ];
        for (q, c, want) in cases {
            assert_eq!(href(q, c), want, "{q}");
        }
    }

    #[test]
    fn anchors_are_safe_ids() {
        assert_eq!(anchor("ecoute-jeunes", 3), "ecoute-jeunes");
        assert_eq!(anchor("https://a.example/", 3), "n3");
        assert_eq!(anchor("", 0), "n0");
    }
}
