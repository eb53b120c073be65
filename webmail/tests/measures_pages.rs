//! The measures pages (issue 9), driven with `oneshot`: the overview of the seven kinds, adding
//! valid measures (French decimal comma, blood pressure's two values), refusals with the French
//! message beside the field and the values kept, the chart served as SVG with the values,
//! deletion, CSRF, another citizen's measure, and a parent acting for a child.

mod mail_support;

use axum::http::{StatusCode, header};
use health::measures::{self, Kind, NewMeasure};
use health::{Author, AuthorKind};
use mail_support::*;

const LOU_NIR: &str = "115063726104045";
const STRANGER_INS: &str = "290027512345612";

/// `application/x-www-form-urlencoded` of the pairs.
fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    b' ' => "+".to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn today() -> String {
    measures::date_iso(time::OffsetDateTime::now_utc().date())
}

fn yesterday() -> String {
    measures::date_iso(time::OffsetDateTime::now_utc().date() - time::Duration::days(1))
}

async fn add(h: &Harness, csrf: &str, kind: &str, value: &str, value2: &str, date: &str) -> Answer {
    let body = encode(&[
        ("csrf", csrf),
        ("kind", kind),
        ("value", value),
        ("value2", value2),
        ("date", date),
        ("time", ""),
        ("note", "au réveil"),
    ]);
    h.post_form("/profil/mesures/ajouter", &body).await
}

async fn stored(h: &Harness, ins: &str, kind: Kind) -> Vec<measures::Measure> {
    measures::list(&h.state.db, ins, kind).await.expect("list")
}

#[tokio::test]
async fn add_chart_refuse_delete() {
    for backend in [store::Backend::Sqlite, store::Backend::Postgres] {
        eprintln!("-- running on {backend:?}");
        add_chart_refuse_delete_on(backend).await;
    }
}

async fn add_chart_refuse_delete_on(backend: store::Backend) {
    let h = harness(backend).await;
    let page = h.get("/profil/mesures").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    for kind in Kind::all() {
        assert!(text.contains(kind.label()), "{}", kind.label());
        assert!(text.contains(&format!("href=\"/profil/mesures/{}\"", kind.slug())));
    }
    assert!(!text.contains("style="), "no inline style (CSP)");
    assert!(text.contains("/static/measures.css"));
    let css = h.get("/static/measures.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/css")
    );

    // Two temperatures, one with the French decimal comma.
    let r = add(&h, &h.csrf, "temperature", "38,2", "", &yesterday()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/profil/mesures/temperature?avis=ajoutee");
    let r = add(&h, &h.csrf, "temperature", "37.5", "", &today()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let temps = stored(&h, CITIZEN_NIR, Kind::Temperature).await;
    assert_eq!(temps.len(), 2);
    assert_eq!(temps[0].author.kind, AuthorKind::Patient);
    assert_eq!(temps[0].note.as_deref(), Some("au réveil"));

    let page = h.get("/profil/mesures/temperature?avis=ajoutee").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("La mesure a été ajoutée."), "{text}");
    assert!(
        text.contains("37,5\u{a0}°C") && text.contains("38,2\u{a0}°C"),
        "{text}"
    );
    assert!(text.contains("<td>Vous</td>"), "{text}");
    assert!(text.contains("Entre 32 et 43,5 °C."), "{text}");
    assert!(text.contains("src=\"/profil/mesures/temperature/graphique.svg\""));
    assert!(
        text.contains("alt=\"Courbe de température : 2 mesures du "),
        "{text}"
    );
    assert!(!text.contains("style="));
    let overview = h.get("/profil/mesures").await.text();
    assert!(
        overview.contains("id=\"derniere-temperature\">37,5\u{a0}°C"),
        "{overview}"
    );

    // The chart: an SVG image with the values, never cached.
    let svg = h.get("/profil/mesures/temperature/graphique.svg").await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert_eq!(svg.headers[header::CACHE_CONTROL], "no-store");
    let body = svg.text();
    assert!(
        body.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{body}"
    );
    assert!(body.ends_with("</svg>"));
    assert!(body.contains("37,5\u{a0}°C") && body.contains("38,2\u{a0}°C"));
    assert!(body.contains("Température (°C)"));
    assert_eq!(body.matches("<circle").count(), 2);

    // Out of range: the page again, the French message beside the field, the value kept.
    let r = add(&h, &h.csrf, "temperature", "45", "", &today()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text();
    assert!(
        text.contains("id=\"erreur-value\">La température doit être comprise entre 32 et 43,5 °C."),
        "{text}"
    );
    assert!(text.contains("value=\"45\""), "{text}");
    assert!(text.contains("aria-invalid=\"true\""));
    // A date in the future is refused too.
    let tomorrow =
        measures::date_iso(time::OffsetDateTime::now_utc().date() + time::Duration::days(2));
    let r = add(&h, &h.csrf, "temperature", "37", "", &tomorrow).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("La date de la mesure ne peut pas être dans le futur.")
    );
    assert_eq!(stored(&h, CITIZEN_NIR, Kind::Temperature).await.len(), 2);

    // Blood pressure: two values, two series; systolic must be above diastolic.
    let r = add(&h, &h.csrf, "tension", "80", "120", &today()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("id=\"erreur-value2\">La tension diastolique")
    );
    for (sys, dia) in [("130", "85"), ("125", "80")] {
        let r = add(&h, &h.csrf, "tension", sys, dia, &today()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    let svg = h.get("/profil/mesures/tension/graphique.svg").await.text();
    assert_eq!(svg.matches("<polyline").count(), 2);
    assert!(svg.contains("Systolique") && svg.contains("Diastolique"));
    assert!(
        h.get("/profil/mesures")
            .await
            .text()
            .contains("125/80\u{a0}mmHg")
    );

    // One measure only: a sentence instead of the chart.
    let r = add(&h, &h.csrf, "douleur", "4", "", &today()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let text = h.get("/profil/mesures/douleur").await.text();
    assert!(text.contains("id=\"pas-de-courbe\""), "{text}");
    assert!(text.contains("4/10"));

    // CSRF: nothing written, nothing deleted.
    let r = add(&h, "faux", "poids", "72", "", &today()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(stored(&h, CITIZEN_NIR, Kind::Poids).await.is_empty());
    let id = temps[0].id;
    let r = h
        .post_form(&format!("/profil/mesures/{id}/supprimer"), "csrf=faux")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(stored(&h, CITIZEN_NIR, Kind::Temperature).await.len(), 2);

    // Delete.
    let r = h
        .post_form(
            &format!("/profil/mesures/{id}/supprimer"),
            &encode(&[("csrf", &h.csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/profil/mesures/temperature?avis=supprimee");
    assert_eq!(stored(&h, CITIZEN_NIR, Kind::Temperature).await.len(), 1);
    assert!(
        h.get("/profil/mesures/temperature?avis=supprimee")
            .await
            .text()
            .contains("La mesure a été supprimée.")
    );

    // Unknown kind, unknown id.
    assert_eq!(
        h.get("/profil/mesures/cholesterol").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        h.get("/profil/mesures/cholesterol/graphique.svg")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = h
        .post_form(
            "/profil/mesures/abc/supprimer",
            &encode(&[("csrf", &h.csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_citizens_measure_cannot_be_deleted_or_seen() {
    let h = harness(store::Backend::Sqlite).await;
    let stranger = Author {
        kind: AuthorKind::Patient,
        id: STRANGER_INS.into(),
        name: String::new(),
    };
    let new = NewMeasure {
        kind: "poids".into(),
        value: "88,8".into(),
        date: today(),
        ..NewMeasure::default()
    };
    let id = measures::add(&h.state.db, STRANGER_INS, &new, &stranger)
        .await
        .expect("stranger's measure");
    let r = h
        .post_form(
            &format!("/profil/mesures/{id}/supprimer"),
            &encode(&[("csrf", &h.csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(stored(&h, STRANGER_INS, Kind::Poids).await.len(), 1);
    assert!(!h.get("/profil/mesures/poids").await.text().contains("88,8"));
    assert!(
        !h.get("/profil/mesures/poids/graphique.svg")
            .await
            .text()
            .contains("88,8")
    );
}

#[tokio::test]
async fn a_parent_records_the_childs_measures() {
    let h = harness(store::Backend::Sqlite).await;
    let session_id: String =
        sqlx::query_scalar("SELECT public_id FROM web_session WHERE login = $1")
            .bind(CITIZEN.to_string())
            .fetch_one(h.state.db.pool())
            .await
            .expect("session");
    let lou = format!("{LOU_NIR}@{CITIZEN_DOMAIN}");
    webmail::security::session::set_acting(&h.state, &session_id, &lou)
        .await
        .expect("act as Lou");
    let page = h.get("/profil/mesures").await.text();
    assert!(page.contains("Mesures de "), "{page}");
    let r = add(&h, &h.csrf, "poids", "3,25", "", &today()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let child = stored(&h, LOU_NIR, Kind::Poids).await;
    assert_eq!(child.len(), 1);
    assert_eq!(child[0].display_value(), "3,25\u{a0}kg");
    assert_eq!(child[0].author.kind, AuthorKind::Guardian);
    assert_eq!(child[0].author.id, CITIZEN_NIR);
    assert!(stored(&h, CITIZEN_NIR, Kind::Poids).await.is_empty());
    let text = h.get("/profil/mesures/poids").await.text();
    assert!(text.contains("(représentant légal)"), "{text}");
}
