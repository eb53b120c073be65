//! The HTTP SMS gateway posts JSON to a real HTTP server (a small axum app on loopback), with
//! its bearer token; a non-2xx answer is an error. The file gateway appends one line per SMS.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use webmail::notify::{FileSms, HttpSms, SmsGateway};

#[tokio::test]
async fn http_gateway_posts_json_with_the_token() {
    let seen: Arc<Mutex<Vec<(String, serde_json::Value)>>> = Arc::default();
    let s = seen.clone();
    let app = Router::new()
        .route(
            "/send",
            post(move |headers: HeaderMap, body: String| {
                let s = s.clone();
                async move {
                    let auth = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
                    s.lock().unwrap().push((auth, json));
                    StatusCode::ACCEPTED
                }
            }),
        )
        .route("/down", post(|| async { StatusCode::SERVICE_UNAVAILABLE }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let gw = HttpSms::new(&format!("http://{addr}/send"), Some("jeton".into())).unwrap();
    gw.send("+33612345678", "Votre code est 123456")
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "Bearer jeton");
    assert_eq!(seen[0].1["to"], "+33612345678");
    assert_eq!(seen[0].1["text"], "Votre code est 123456");

    let down = HttpSms::new(&format!("http://{addr}/down"), None).unwrap();
    assert!(down.send("+33612345678", "x").await.is_err());
}

#[tokio::test]
async fn file_gateway_appends_one_line_per_sms() {
    let dir = tempfile::tempdir().unwrap();
    let gw = FileSms {
        path: dir.path().join("sms.log"),
    };
    gw.send("+33611111111", "un\ndeux").await.unwrap();
    gw.send("+33622222222", "trois").await.unwrap();
    let text = std::fs::read_to_string(dir.path().join("sms.log")).unwrap();
    assert_eq!(text, "+33611111111\tun deux\n+33622222222\ttrois\n");
}
