//! Filing IHE XDM packages on both backends: the shared fixture, the export/re-import round
//! trip, and hostile archives refused with nothing left behind.

mod common;

use std::io::Cursor;

use common::*;
use dmp_bridge::{Category, Citizen, DmpError, Document, Source, XdmRejection};
use store::testing::for_each_backend;

fn comparable(
    d: &Document,
) -> (
    String,
    Category,
    Option<String>,
    Option<String>,
    String,
    String,
) {
    (
        d.meta.title.clone(),
        d.meta.category,
        d.meta.type_code.clone(),
        d.meta.class_code.clone(),
        d.meta.mime_type.clone(),
        d.blob_id.clone(),
    )
}

#[tokio::test]
async fn fixture_round_trip() {
    for_each_backend(|db| async move {
        let env = env(db).await;
        let me = Citizen::patient(CAMILLE);
        let filed = env
            .dmp
            .citizen_file_xdm(&me, fixture_package())
            .await
            .expect("file");
        assert_eq!((filed.new, filed.already_present), (2, 0));
        let docs = env.dmp.citizen_documents(&me).await.expect("list");
        assert_eq!(docs.len(), 2);
        for d in &docs {
            assert_eq!(d.meta.category, Category::Biologie);
            assert_eq!(d.meta.class_code.as_deref(), Some("10"));
            assert_eq!(d.meta.author_id.as_deref(), Some(DR_MARTIN));
            assert_eq!(d.meta.author_name.as_deref(), Some("Camille MARTIN"));
            assert_eq!(d.meta.created_at, 1_794_994_200);
            assert_eq!(d.meta.source, Source::Xdm);
        }
        // Filing the same package again adds nothing.
        let again = env
            .dmp
            .citizen_file_xdm(&me, fixture_package())
            .await
            .expect("refile");
        assert_eq!((again.new, again.already_present), (0, 2));

        // Export, then re-import into a fresh record of the same patient: same documents.
        let zip = env.dmp.citizen_export(&me).await.expect("export");
        let names: Vec<String> = zip::ZipArchive::new(Cursor::new(&zip))
            .expect("zip")
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.to_string()))
            .collect();
        for n in ["README.TXT", "INDEX.HTM", "IHE_XDM/SUBSET01/METADATA.XML"] {
            assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
        }
        let fresh = store::testing::TestDb::new(env.dmp.db().backend())
            .await
            .expect("db");
        let env2 = common::env(fresh.db().clone()).await;
        env2.dmp
            .citizen_file_xdm(&me, zip)
            .await
            .expect("re-import");
        let back = env2.dmp.citizen_documents(&me).await.expect("list");
        let mut a: Vec<_> = docs.iter().map(comparable).collect();
        let mut b: Vec<_> = back.iter().map(comparable).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        for d in &back {
            let orig = docs
                .iter()
                .find(|o| o.meta.unique_id == d.meta.unique_id)
                .expect("same id");
            let mut m = d.meta.clone();
            m.source = orig.meta.source;
            assert_eq!(m, orig.meta, "metadata survives the round trip");
        }
    })
    .await;
}

#[tokio::test]
async fn round_trip_keeps_confidentiality_and_patient_documents() {
    for_each_backend(|db| async move {
        let env = env(db).await;
        let me = Citizen::patient(CAMILLE);
        let xml = fixture_metadata().replacen(
            "nodeRepresentation=\"N\"><rim:Slot name=\"codingScheme\"><rim:ValueList><rim:Value>2.16.840.1.113883.5.25",
            "nodeRepresentation=\"INVISIBLE_REP_LEGAUX\"><rim:Slot name=\"codingScheme\"><rim:ValueList><rim:Value>1.2.250.1.213.1.1.4.13",
            1,
        );
        env.dmp.citizen_file_xdm(&me, package_with_metadata(&xml)).await.expect("file");
        let file = dmp_bridge::NewFile {
            title: "Mon certificat".into(),
            category: None,
            mime_type: "application/pdf".into(),
            file_name: "certificat sport.pdf".into(),
            origin: None,
        };
        let own = env.dmp.citizen_add_file(&me, file, b"%PDF-1.4 x", Source::Upload).await.expect("upload");
        assert_eq!(own.meta.category, Category::Certificats);
        let docs = env.dmp.citizen_documents(&me).await.expect("list");
        assert_eq!(docs.iter().filter(|d| d.meta.visibility.invisible_rep_legaux).count(), 1);
        let zip = env.dmp.citizen_export(&me).await.expect("export");
        let fresh = store::testing::TestDb::new(env.dmp.db().backend()).await.expect("db");
        let env2 = common::env(fresh.db().clone()).await;
        env2.dmp.citizen_file_xdm(&me, zip).await.expect("re-import");
        let back = env2.dmp.citizen_documents(&me).await.expect("list");
        assert_eq!(back.len(), 3);
        for d in &back {
            let orig = docs.iter().find(|o| o.meta.unique_id == d.meta.unique_id).expect("same id");
            assert_eq!(d.meta.visibility, orig.meta.visibility);
            assert_eq!(d.meta.author_kind, orig.meta.author_kind);
            assert_eq!(d.meta.author_id, orig.meta.author_id);
            assert_eq!(d.meta.category, orig.meta.category);
            assert_eq!(d.blob_id, orig.blob_id);
            assert_eq!(d.meta.file_name, orig.meta.file_name);
        }
        // A guardian does not see the INVISIBLE_REP_LEGAUX document.
        let parent = Citizen::guardian(CAMILLE, OTHER);
        assert_eq!(env2.dmp.citizen_documents(&parent).await.expect("list").len(), 2);
    })
    .await;
}

/// Sets the "encrypted" bit in every local and central header of a zip.
fn mark_encrypted(mut zip: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i + 10 < zip.len() {
        match &zip[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => zip[i + 6] |= 1,
            [0x50, 0x4b, 0x01, 0x02] => zip[i + 8] |= 1,
            _ => {}
        }
        i += 1;
    }
    zip
}

#[tokio::test]
async fn hostile_packages_are_refused_with_nothing_left() {
    for_each_backend(|db| async move {
        let env = env(db).await;
        let me = Citizen::patient(CAMILLE);
        let meta = fixture_metadata();
        let doc1 = read_entry(&fixture_package(), "IHE_XDM/SUBSET01/DOC0001.XML");
        let zeros = vec![0u8; 20_000_000];
        let many: Vec<(String, Vec<u8>)> = (0..1001)
            .map(|i| (format!("f{i}.txt"), vec![b'x']))
            .collect();
        let many_refs: Vec<(&str, &[u8])> = many
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect();
        let traversal_meta = meta.replace("DOC0001.XML", "../../DOC0001.XML");
        type Check = fn(&XdmRejection) -> bool;
        let cases: Vec<(&str, Vec<u8>, Check)> = vec![
            ("not a zip", b"PK\x03\x04 this is not a zip".to_vec(), |r| {
                matches!(r, XdmRejection::Malformed(_))
            }),
            (
                "traversal entry",
                zip_of(&[
                    ("../evil.txt", b"x"),
                    ("IHE_XDM/SUBSET01/METADATA.XML", meta.as_bytes()),
                ]),
                |r| matches!(r, XdmRejection::PathTraversal(_)),
            ),
            ("absolute entry", zip_of(&[("/etc/evil", b"x")]), |r| {
                matches!(r, XdmRejection::PathTraversal(_))
            }),
            (
                "traversal URI",
                package_with_metadata(&traversal_meta),
                |r| matches!(r, XdmRejection::PathTraversal(_)),
            ),
            (
                "bomb",
                zip_of(&[
                    ("IHE_XDM/SUBSET01/METADATA.XML", meta.as_bytes()),
                    ("IHE_XDM/SUBSET01/DOC0001.XML", &zeros),
                ]),
                |r| matches!(r, XdmRejection::RatioTooHigh { .. }),
            ),
            ("many entries", zip_of(&many_refs), |r| {
                matches!(r, XdmRejection::TooManyEntries { .. })
            }),
            (
                "wrong patient",
                package_with_metadata(&meta.replace(CAMILLE, OTHER)),
                |r| matches!(r, XdmRejection::WrongPatient { .. }),
            ),
            (
                "broken XML",
                package_with_metadata(
                    &meta
                        .chars()
                        .take(meta.chars().count() / 2)
                        .collect::<String>(),
                ),
                |r| matches!(r, XdmRejection::BadMetadata(_)),
            ),
            ("no metadata", zip_of(&[("README.TXT", b"x")]), |r| {
                matches!(r, XdmRejection::NoMetadata)
            }),
            (
                "missing document",
                zip_of(&[
                    ("IHE_XDM/SUBSET01/METADATA.XML", meta.as_bytes()),
                    ("IHE_XDM/SUBSET01/DOC0001.XML", &doc1),
                ]),
                |r| matches!(r, XdmRejection::MissingDocument(_)),
            ),
            (
                "altered document",
                zip_of(&[
                    ("IHE_XDM/SUBSET01/METADATA.XML", meta.as_bytes()),
                    ("IHE_XDM/SUBSET01/DOC0001.XML", &doc1),
                    ("IHE_XDM/SUBSET01/DOC0002.PDF", b"%PDF-1.4 altered"),
                ]),
                |r| matches!(r, XdmRejection::HashMismatch(_)),
            ),
            ("encrypted", mark_encrypted(fixture_package()), |r| {
                matches!(r, XdmRejection::Encrypted(_))
            }),
        ];
        for (what, zip, check) in cases {
            match env.dmp.citizen_file_xdm(&me, zip).await {
                Err(DmpError::Xdm(r)) => {
                    assert!(check(&r), "{what}: unexpected {r:?}");
                    assert!(!r.citizen_text().is_empty());
                }
                other => panic!("{what}: expected a refusal, got {other:?}"),
            }
            // Only the blob store's empty tmp folder may exist: no row, no blob, no temp file.
            assert_eq!(
                leftovers(&env).await,
                (0, 0),
                "{what}: something was left behind"
            );
        }
    })
    .await;
}
