//! The catalogue page (issue 9), driven with `oneshot` on both backends: the empty catalogue,
//! the sample imported, text search without case or accents, the category filter and counts,
//! the outgoing links, the French empty states, and the login wall.

#[path = "h5tmp/mod.rs"]
mod mail_support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mail_support::*;

const SAMPLE: &str = include_str!("../../docs/catalogue-exemple.toml");

/// The names of the services listed on a page, in order.
fn names(page: &str) -> Vec<String> {
    page.split("<h3>")
        .skip(1)
        .filter_map(|s| s.split("</h3>").next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn search_filter_counts_and_empty_states() {
    for backend in [store::Backend::Sqlite, store::Backend::Postgres] {
        eprintln!("-- running on {backend:?}");
        search_filter_counts_and_empty_states_on(backend).await;
    }
}

async fn search_filter_counts_and_empty_states_on(backend: store::Backend) {
    let h = harness(backend).await;

    // Logged out: back to the login page, nothing of the catalogue shown.
    let anonymous = h
        .send(
            Request::get("/catalogue")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location(), "/connexion");

    // Nothing imported yet.
    let page = h.get("/catalogue").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("id=\"catalogue-vide\""), "{text}");
    assert!(text.contains("/static/catalogue.css"));
    let css = h.get("/static/catalogue.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");

    let services = health::catalogue::parse_text(SAMPLE, health::catalogue::Format::Toml)
        .expect("sample catalogue");
    health::catalogue::replace(&h.state.db, &services)
        .await
        .expect("import");

    // Everything, grouped by category, with the counts in the select and the list.
    let all = h.get("/catalogue").await.text();
    assert_eq!(names(&all).len(), services.len(), "{all}");
    assert!(all.contains(&format!("{} services", services.len())));
    assert!(all.contains("Santé mentale (2)"), "{all}");
    assert!(all.contains("Prévention (2)"));
    assert!(all.contains(&format!("Toutes les catégories ({})", services.len())));
    assert!(!all.contains("id=\"catalogue-vide\""));
    // A service shows its category, publisher, price, audience, description and its link.
    assert!(all.contains("id=\"service-ecoute-jeunes\""));
    assert!(all.contains("Fil d’Écoute"));
    assert!(all.contains("Jeunes, Parents"));
    assert!(all.contains("Ligne d’écoute et tchat anonymes"));
    assert!(all.contains(
        "href=\"https://ecoute-jeunes.example/\" rel=\"noopener noreferrer\" target=\"_blank\""
    ));
    assert!(
        all.contains(">ecoute-jeunes.example<"),
        "the address is shown"
    );
    assert!(all.contains(">Gratuit<") && all.contains(">Payant<"));

    // Text search: case and accents don't matter, every word must match.
    for q in ["ecoute", "ÉCOUTE", "%C3%A9coute", "Ecoute+jeunes"] {
        let found = names(&h.get(&format!("/catalogue?q={q}")).await.text());
        assert!(
            found.contains(&"Écoute Jeunes".to_string()),
            "{q}: {found:?}"
        );
        assert!(
            !found.contains(&"Bouger plus".to_string()),
            "{q}: {found:?}"
        );
    }
    let found = names(&h.get("/catalogue?q=sante").await.text());
    assert!(
        found.contains(&"RDV Santé Touraine".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"Souffle serein".to_string()),
        "publisher Méditation & Santé"
    );
    let found = names(&h.get("/catalogue?q=coeur").await.text());
    assert_eq!(found, ["Cœur en forme"], "the œ ligature folds to oe");
    let found = names(&h.get("/catalogue?q=garde+pharmacie").await.text());
    assert_eq!(found, ["Pharmacie de garde"]);

    // Category filter: only that category, the option selected, the counts unchanged.
    let mental = h.get("/catalogue?q=&categorie=sante-mentale").await.text();
    assert_eq!(names(&mental), ["Écoute Jeunes", "Souffle serein"]);
    assert!(mental.contains("<option value=\"sante-mentale\" selected>"));
    assert!(mental.contains("Nutrition (1)"));
    assert!(mental.contains("2 services en « Santé mentale »"));
    // Text and category together; the category links keep the words.
    let both = h
        .get("/catalogue?q=jeunes&categorie=sante-mentale")
        .await
        .text();
    assert_eq!(names(&both), ["Écoute Jeunes"]);
    assert!(
        both.contains("href=\"/catalogue?q=jeunes&#38;categorie=nutrition\""),
        "{both}"
    );
    // An unknown category (an old link) shows everything.
    let unknown = h.get("/catalogue?categorie=sport").await.text();
    assert_eq!(names(&unknown).len(), services.len());

    let mangled = h.get("/catalogue?q=a&q=b").await;
    assert_eq!(mangled.status, StatusCode::OK, "{}", mangled.text());
    assert_eq!(names(&mangled.text()).len(), services.len());

    // Nothing found: the French empty state, and the words are escaped, never markup.
    let none = h.get("/catalogue?q=%3Cscript%3Ezzz").await;
    assert_eq!(none.status, StatusCode::OK);
    let none = none.text();
    assert!(none.contains("id=\"aucun-resultat\""), "{none}");
    assert!(none.contains("Aucun service ne correspond à votre recherche"));
    assert!(!none.contains("<script>zzz"));
    assert!(none.contains("&#60;script&#62;zzz") || none.contains("&lt;script&gt;zzz"));
}
