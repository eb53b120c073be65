//! The professional API through `tower::ServiceExt::oneshot`, with the TLS identity in the
//! request extensions as the binary puts it, on both backends: access matrix, hidden and
//! blocked, break-glass, SAMU, deposits, and the audit trail + notifications the citizen gets.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use certs::identity::{PeerIdentity, PeerKind};
use common::*;
use dmp_bridge::{Category, Citizen, Source, api};
use http_body_util::BodyExt;
use serde_json::Value;
use store::testing::for_each_backend;
use tower::ServiceExt;

fn identity(rpps: &str) -> PeerIdentity {
    PeerIdentity {
        kind: PeerKind::Person,
        rpps: Some(rpps.to_string()),
        adeli: None,
        national_id: Some(format!("8{rpps}")),
        structure_id: None,
        common_name: None,
        given_name: None,
        surname: None,
        dns_names: vec![],
        emails: vec![],
        subject_dn: String::new(),
        issuer_dn: String::new(),
        serial: "01".into(),
        not_after: time::OffsetDateTime::UNIX_EPOCH,
    }
}

async fn call(
    env: &Env,
    who: Option<&str>,
    method: &str,
    uri: &str,
    body: Vec<u8>,
) -> (StatusCode, Vec<u8>) {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/pdf")
        .body(Body::from(body))
        .expect("request");
    req.extensions_mut().insert(who.map(identity));
    let resp = api::router(env.dmp.clone())
        .oneshot(req)
        .await
        .expect("response");
    let status = resp.status();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, bytes)
}

async fn list(env: &Env, who: &str, query: &str) -> (StatusCode, Value) {
    let uri = format!("/api/dmp/v1/patients/{CAMILLE}/documents{query}");
    let (s, b) = call(env, Some(who), "GET", &uri, vec![]).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

fn count(v: &Value) -> usize {
    v["documents"].as_array().map(Vec::len).unwrap_or(0)
}

#[tokio::test]
async fn professional_api() {
    for_each_backend(|db| async move {
        let env = env(db).await;
        let me = Citizen::patient(CAMILLE);
        // Two lab reports (XDM, by Dr Martin) and a prescription the patient uploaded.
        env.dmp.citizen_file_xdm(&me, fixture_package()).await.expect("file");
        let file = dmp_bridge::NewFile {
            title: "Ordonnance".into(),
            category: Some(Category::Ordonnances),
            mime_type: "application/pdf".into(),
            file_name: "ordonnance.pdf".into(),
            origin: Some("camille.martin@medecin.mssante.example".into()),
        };
        let rx = env.dmp.citizen_add_file(&me, file, b"%PDF-1.4 rx", Source::Mail).await.expect("add");

        // No certificate: 401.
        let (s, _) = call(&env, None, "GET", &format!("/api/dmp/v1/patients/{CAMILLE}/documents"), vec![]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        // Unknown patient: 400.
        let (s, _) = call(&env, Some(DR_ROUSSEAU), "GET", "/api/dmp/v1/patients/240013700100131/documents", vec![]).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);

        // The matrix: a physician reads all three, a pharmacist the prescription and lab results,
        // a nurse the same (no certificates here).
        for (who, want) in [(DR_ROUSSEAU, 3), (PHARMACIST, 3), (NURSE, 3)] {
            let (s, v) = list(&env, who, "").await;
            assert_eq!((s, count(&v)), (StatusCode::OK, want), "{who}");
        }
        // The patient hides the prescription: other professionals lose it, not in an emergency.
        env.dmp.citizen_set_hidden(&me, rx.id, true).await.expect("hide");
        assert_eq!(count(&list(&env, DR_ROUSSEAU, "").await.1), 2);
        let (s, v) = list(&env, DR_ROUSSEAU, "?mode=break_glass&justification=patient%20inconscient%20aux%20urgences").await;
        assert_eq!((s, count(&v)), (StatusCode::OK, 3));
        // Break-glass needs a justification.
        assert_eq!(list(&env, DR_ROUSSEAU, "?mode=break_glass").await.0, StatusCode::FORBIDDEN);
        // SAMU: physicians only; refused once the patient opposes.
        assert_eq!(list(&env, DR_ROUSSEAU, "?mode=samu").await.0, StatusCode::OK);
        assert_eq!(list(&env, NURSE, "?mode=samu").await.0, StatusCode::FORBIDDEN);
        env.dmp.citizen_set_oppositions(&me, true, true).await.expect("oppose");
        assert_eq!(list(&env, DR_ROUSSEAU, "?mode=samu").await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            list(&env, DR_ROUSSEAU, "?mode=break_glass&justification=patient%20inconscient").await.0,
            StatusCode::FORBIDDEN
        );
        // The médecin traitant reads the hidden document too.
        env.dmp.citizen_set_medecin_traitant(&me, Some(DR_ROUSSEAU)).await.expect("mt");
        assert_eq!(count(&list(&env, DR_ROUSSEAU, "").await.1), 3);
        // A blocked professional reads nothing.
        env.dmp.citizen_set_blocked(&me, PHARMACIST, true).await.expect("block");
        assert_eq!(list(&env, PHARMACIST, "").await.0, StatusCode::FORBIDDEN);
        env.dmp.citizen_set_blocked(&me, PHARMACIST, false).await.expect("unblock");
        assert_eq!(list(&env, PHARMACIST, "").await.0, StatusCode::OK);

        // Read one document's content.
        let (_, v) = list(&env, NURSE, "").await;
        let id = v["documents"][0]["id"].as_i64().expect("id");
        let (s, body) = call(&env, Some(NURSE), "GET",
            &format!("/api/dmp/v1/patients/{CAMILLE}/documents/{id}/content"), vec![]).await;
        assert_eq!(s, StatusCode::OK);
        assert!(!body.is_empty());
        // The hidden prescription is not found for the nurse (never say it exists).
        let (s, _) = call(&env, Some(NURSE), "GET",
            &format!("/api/dmp/v1/patients/{CAMILLE}/documents/{}/content", rx.id), vec![]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // Deposit a document, hidden from the patient until the announcement.
        let (s, b) = call(&env, Some(DR_MARTIN), "POST",
            &format!("/api/dmp/v1/patients/{CAMILLE}/documents?title=Compte%20rendu%20IRM&type_code=18748-4&invisible_patient=true"),
            b"%PDF-1.4 irm".to_vec()).await;
        assert_eq!(s, StatusCode::CREATED, "{}", String::from_utf8_lossy(&b));
        let dep: Value = serde_json::from_slice(&b).expect("json");
        assert_eq!(dep["category"], "imagerie");
        let dep_id = dep["id"].as_i64().expect("id");
        assert!(env.dmp.citizen_document(&me, dep_id).await.is_err(), "invisible to the patient");
        let (s, _) = call(&env, Some(NURSE), "POST",
            &format!("/api/dmp/v1/patients/{CAMILLE}/documents/{dep_id}/release"), vec![]).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = call(&env, Some(DR_MARTIN), "POST",
            &format!("/api/dmp/v1/patients/{CAMILLE}/documents/{dep_id}/release"), vec![]).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        assert!(env.dmp.citizen_document(&me, dep_id).await.is_ok());
        // The patient cannot delete it; a colleague cannot either; its author can.
        assert!(env.dmp.citizen_delete(&me, dep_id).await.is_err());
        let del = format!("/api/dmp/v1/patients/{CAMILLE}/documents/{dep_id}");
        assert_eq!(call(&env, Some(DR_ROUSSEAU), "DELETE", &del, vec![]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(call(&env, Some(DR_MARTIN), "DELETE", &del, vec![]).await.0, StatusCode::NO_CONTENT);

        // Deposit an XDM package for another patient: refused (wrong patient), nothing written.
        let before = dmp_bridge::document::list(env.dmp.db(), OTHER).await.expect("list").len();
        let (s, b) = call(&env, Some(DR_MARTIN), "POST",
            &format!("/api/dmp/v1/patients/{OTHER}/xdm"), fixture_package()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(String::from_utf8_lossy(&b).contains("autre patient"));
        assert_eq!(dmp_bridge::document::list(env.dmp.db(), OTHER).await.expect("list").len(), before);

        // The history shows professional reads, refusals with their reason, and break-glass
        // justifications; every professional action sent a notification.
        let history = env.dmp.citizen_history(&me).await.expect("history");
        assert!(history.iter().any(|h| h.action == "read_document" && h.actor_id.as_deref() == Some(NURSE)));
        assert!(history.iter().any(|h| h.mode == "break_glass"
            && h.reason.as_deref() == Some("patient inconscient aux urgences")));
        assert!(history.iter().any(|h| h.action == "access_refused" && h.actor_id.as_deref() == Some(PHARMACIST)));
        assert!(history.iter().any(|h| h.action == "hide" && h.actor_kind == "patient"));
        let read_by_nurse = history.iter().find(|h| h.action == "read_document").expect("read");
        assert_eq!(read_by_nurse.actor_name.as_deref(), Some("Hugo LE GALL"));
        let notes = env.notes.0.lock().expect("lock").clone();
        assert!(notes.iter().any(|n| n.action == dmp_bridge::Action::Deposit));
        assert!(notes.iter().any(|n| n.mode == "break_glass"));
        assert!(notes.iter().all(|n| !n.summary_fr().contains("IRM")), "no title in e-mails");
    })
    .await;
}
