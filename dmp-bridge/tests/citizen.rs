//! The citizen-side library API the webmail calls, on both backends: categories, upload and
//! mail attachments, download, hide/unhide, who may delete what, settings, history.

mod common;

use common::*;
use dmp_bridge::professional::Deposit;
use dmp_bridge::{Category, Citizen, DmpError, NewFile, Professional, Source};
use store::testing::for_each_backend;

fn file(title: &str, category: Option<Category>, name: &str) -> NewFile {
    NewFile {
        title: title.into(),
        category,
        mime_type: "application/pdf".into(),
        file_name: name.into(),
        origin: None,
    }
}

#[tokio::test]
async fn citizen_library_api() {
    for_each_backend(|db| async move {
        let env = env(db).await;
        let me = Citizen::patient(CAMILLE);
        let dmp = &env.dmp;

        // Upload with an explicit category; a mail attachment with the suggested one.
        let up = dmp
            .citizen_add_file(
                &me,
                file("Vaccins", Some(Category::Prevention), "v.pdf"),
                b"%PDF v",
                Source::Upload,
            )
            .await
            .expect("upload");
        let mut att = file("Ordonnance du 3", None, "Ordonnance.pdf");
        att.origin = Some("camille.martin@medecin.mssante.example".into());
        let mail = dmp
            .citizen_add_file(&me, att, b"%PDF o", Source::Mail)
            .await
            .expect("attachment");
        assert_eq!(mail.meta.category, Category::Ordonnances);
        assert_eq!(
            mail.meta.author_structure.as_deref(),
            Some("camille.martin@medecin.mssante.example")
        );
        // Refused: empty title, too large.
        assert!(matches!(
            dmp.citizen_add_file(&me, file("  ", None, "x.pdf"), b"x", Source::Upload)
                .await,
            Err(DmpError::Invalid(_))
        ));

        let groups = dmp.citizen_by_category(&me).await.expect("groups");
        assert_eq!(groups.len(), 8);
        assert_eq!(groups[0].label, "Radio/écho/scanner/IRM");
        let count = |c: Category| {
            groups
                .iter()
                .find(|g| g.category == c)
                .map(|g| g.documents.len())
        };
        assert_eq!(count(Category::Prevention), Some(1));
        assert_eq!(count(Category::Ordonnances), Some(1));
        assert_eq!(count(Category::Autres), Some(0));

        let (doc, bytes) = dmp.citizen_download(&me, up.id).await.expect("download");
        assert_eq!((doc.id, bytes.as_slice()), (up.id, &b"%PDF v"[..]));
        // Another patient's record does not see it.
        assert!(matches!(
            dmp.citizen_download(&Citizen::patient(OTHER), up.id).await,
            Err(DmpError::NotFound(_))
        ));

        // A professional's deposit: the citizen may hide it but not delete it.
        let pro = Professional {
            rpps: DR_MARTIN.into(),
            name: Some("Camille MARTIN".into()),
            profession_code: Some("10".into()),
            structure: None,
        };
        let dep = Deposit {
            title: "Certificat".into(),
            mime_type: "application/pdf".into(),
            class_code: Some("52".into()),
            ..Default::default()
        };
        let cert = dmp
            .pro_deposit(&pro, CAMILLE, dep, b"%PDF c")
            .await
            .expect("deposit");
        assert_eq!(cert.meta.category, Category::Certificats);
        dmp.citizen_set_hidden(&me, cert.id, true)
            .await
            .expect("hide");
        assert!(
            dmp.citizen_document(&me, cert.id)
                .await
                .expect("doc")
                .meta
                .visibility
                .hidden_by_patient
        );
        dmp.citizen_set_hidden(&me, cert.id, false)
            .await
            .expect("unhide");
        assert!(matches!(
            dmp.citizen_delete(&me, cert.id).await,
            Err(DmpError::Denied(_))
        ));
        dmp.citizen_delete(&me, up.id)
            .await
            .expect("delete own upload");
        assert!(dmp.citizen_document(&me, up.id).await.is_err());

        // Settings.
        dmp.citizen_set_medecin_traitant(&me, Some(&format!("8{DR_ROUSSEAU}")))
            .await
            .expect("mt");
        dmp.citizen_set_blocked(&me, NURSE, true)
            .await
            .expect("block");
        dmp.citizen_set_oppositions(&me, true, false)
            .await
            .expect("oppose");
        let s = dmp.citizen_settings(&me).await.expect("settings");
        assert_eq!(s.medecin_traitant.as_deref(), Some(DR_ROUSSEAU));
        assert!(s.blocked.contains(NURSE));
        assert!(s.oppose_break_glass && !s.oppose_samu);
        assert!(dmp.citizen_set_blocked(&me, "123", true).await.is_err());

        // History, newest first, in French, patient and professional actions alike.
        let h = dmp.citizen_history(&me).await.expect("history");
        let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
        for a in [
            "upload",
            "file_attachment",
            "deposit",
            "hide",
            "unhide",
            "delete",
            "block",
            "oppositions",
            "designate_medecin_traitant",
        ] {
            assert!(actions.contains(&a), "{a} in {actions:?}");
        }
        assert!(h.windows(2).all(|w| w[0].at >= w[1].at));
        assert!(h.iter().all(|e| !e.action_label.is_empty()));
        // Only the professional's deposit was notified.
        assert_eq!(env.notes.0.lock().expect("lock").len(), 1);
    })
    .await;
}
