//! The installable app and the phone-first home page (issue 9): the manifest (content type and
//! content), the icons it names, the service worker (served from the root, never caching a page
//! of the citizen), the offline page (no personal data), the head links of every page, and the
//! home tiles with the unread count and the next appointment.

#[path = "h5tmp/mod.rs"]
mod mail_support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mail_support::*;

/// (width, height) from a PNG's IHDR, after checking the signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[tokio::test]
async fn manifest_icons_and_service_worker() {
    let h = harness(store::Backend::Sqlite).await;
    let anonymous = |uri: &str| Request::get(uri).body(Body::empty()).expect("request");

    // The manifest needs no session (the browser fetches it without asking).
    let m = h.send(anonymous("/manifest.webmanifest")).await;
    assert_eq!(m.status, StatusCode::OK);
    assert_eq!(m.headers[header::CONTENT_TYPE], "application/manifest+json");
    let json: serde_json::Value = serde_json::from_slice(&m.body).expect("manifest JSON");
    assert_eq!(json["name"], "Santemail — Mon espace santé");
    assert_eq!(json["short_name"], "Espace santé");
    assert_eq!(json["lang"], "fr");
    assert_eq!(json["start_url"], "/");
    assert_eq!(json["scope"], "/");
    assert_eq!(json["display"], "standalone");
    assert_eq!(json["theme_color"], "#003b80");
    assert!(json["background_color"].is_string());
    let icons = json["icons"].as_array().expect("icons");
    let mut seen = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().expect("src");
        let kind = icon["type"].as_str().expect("type");
        let r = h.send(anonymous(src)).await;
        assert_eq!(r.status, StatusCode::OK, "{src}");
        assert_eq!(r.headers[header::CONTENT_TYPE], kind, "{src}");
        if kind == "image/png" {
            let sizes = icon["sizes"].as_str().expect("sizes");
            let (w, h) = png_size(&r.body);
            assert_eq!(format!("{w}x{h}"), sizes, "{src}");
            seen.push((
                sizes.to_string(),
                icon["purpose"].as_str().unwrap_or("any").to_string(),
            ));
        }
    }
    for want in [
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    ] {
        assert!(
            seen.iter().any(|(s, p)| s == want.0 && p == want.1),
            "{want:?} in {seen:?}"
        );
    }
    let apple = h
        .send(anonymous("/static/icons/apple-touch-icon.png"))
        .await;
    assert_eq!(apple.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(png_size(&apple.body), (180, 180));
    assert_eq!(
        h.send(anonymous("/static/icons/absent.png")).await.status,
        StatusCode::NOT_FOUND
    );

    // The service worker: at the root, JavaScript, revalidated at every visit.
    let sw = h.send(anonymous("/sw.js")).await;
    assert_eq!(sw.status, StatusCode::OK);
    assert_eq!(
        sw.headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(sw.headers[header::CACHE_CONTROL], "no-cache");
    let js = sw.text();
    assert!(js.contains("\"/static/\""), "caches the static assets");
    assert!(js.contains("\"/hors-ligne\""));
    // No page of the citizen is named anywhere in it, so none can be stored.
    for path in [
        "/profil",
        "/mail",
        "/messages",
        "/documents",
        "/agenda",
        "/api",
        "/catalogue",
        "/parametres",
        "/connexion",
    ] {
        assert!(!js.contains(path), "sw.js mentions {path}");
    }
    // Only GETs of our own /static/ are put in the cache.
    assert_eq!(js.matches("cache.put(").count(), 1);
    assert!(js.contains("request.method !== \"GET\""));
    assert!(js.contains("url.pathname.indexOf(\"/static/\") === 0"));
}

#[tokio::test]
async fn offline_page_and_head_links() {
    let h = harness(store::Backend::Sqlite).await;
    // Even asked with a live session, the offline page carries nothing of it: the worker
    // stores it.
    let off = h.get("/hors-ligne").await;
    assert_eq!(off.status, StatusCode::OK);
    assert_eq!(
        off.headers[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    let text = off.text();
    assert!(text.contains("Vous êtes hors ligne"));
    assert!(!text.contains(&h.csrf));
    assert!(!text.contains("MARTIN") && !text.contains("Se déconnecter"));
    assert!(!text.contains("name=\"csrf\""));

    // Every page links the manifest, the theme colour, the icons and app.js (no inline script).
    let page = h.get("/catalogue").await.text();
    for want in [
        "<link rel=\"manifest\" href=\"/manifest.webmanifest\">",
        "<meta name=\"theme-color\" content=\"#003b80\">",
        "<link rel=\"apple-touch-icon\" href=\"/static/icons/apple-touch-icon.png\">",
        "<script src=\"/static/app.js\" defer></script>",
    ] {
        assert!(page.contains(want), "{want}");
    }
    assert_eq!(page.matches("<script").count(), 1, "no inline script");
    for (href, label) in [
        ("/messages", "Messages"),
        ("/documents", "Documents"),
        ("/profil", "Profil médical"),
        ("/agenda", "Agenda"),
        ("/catalogue", "Catalogue"),
        ("/parametres", "Paramètres"),
    ] {
        assert!(page.contains(&format!("href=\"{href}\"")), "{href}");
        assert!(page.contains(label), "{label}");
    }
    let js = h.get("/static/app.js").await.text();
    assert!(js.contains("navigator.serviceWorker.register(\"/sw.js\""));
}

#[tokio::test]
async fn home_tiles_on_both_backends() {
    for backend in [store::Backend::Sqlite, store::Backend::Postgres] {
        eprintln!("-- running on {backend:?}");
        home_tiles_on(backend).await;
    }
}

async fn home_tiles_on(backend: store::Backend) {
    let h = harness(backend).await;

    // Before login: the two ways in, no tiles.
    let anonymous = h
        .send(Request::get("/").body(Body::empty()).expect("request"))
        .await;
    assert_eq!(anonymous.status, StatusCode::OK);
    let text = anonymous.text();
    assert!(text.contains("id=\"lien-connexion\"") && !text.contains("id=\"tuiles\""));

    // Logged in, nothing yet: four tiles and the catalogue, no unread, no appointment.
    let home = h.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let text = home.text();
    for id in [
        "tuile-messages",
        "tuile-documents",
        "tuile-profil",
        "tuile-agenda",
        "lien-catalogue",
    ] {
        assert!(text.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(text.contains("<h1>Bonjour"), "{text}");
    assert!(text.contains("Aucun message non lu"));
    assert!(text.contains("Aucun rendez-vous à venir"));

    // Two new messages, and an appointment tomorrow (a past one is not "next").
    for n in 0..2 {
        let raw = pro_message(DOCTOR, &format!("Résultats {n}"), "Bonjour.", "");
        h.deliver_from(DOCTOR, CITIZEN, &raw).await;
    }
    let now = store::db::now_unix();
    for (starts_at, title) in [(now - 86_400, "Ancien"), (now + 86_400, "Dentiste")] {
        sqlx::query(
            "INSERT INTO agenda_appointment (patient_ins, starts_at, title, with_text, reminder, \
             author_kind, author_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'aucun', 'patient', $1, $5, $5)",
        )
        .bind(CITIZEN_NIR)
        .bind(starts_at)
        .bind(title)
        .bind("Cabinet du Lac")
        .bind(now)
        .execute(h.state.db.pool())
        .await
        .expect("appointment");
    }
    let text = h.get("/").await.text();
    assert!(
        text.contains("<span class=\"badge\">2</span> messages non lus"),
        "{text}"
    );
    assert!(text.contains("Prochain rendez-vous : "), "{text}");
    assert!(text.contains("Dentiste — Cabinet du Lac"), "{text}");
    assert!(!text.contains("Ancien"));
}
