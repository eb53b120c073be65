//! Imports of the national fixture files, on SQLite and on PostgreSQL.

use std::path::{Path, PathBuf};

use directory::import::{ImportKind, ImportOptions, import_file};
use directory::lookup::{self, Entry};
use directory::{DirectoryError, accounts};
use store::testing::for_each_backend;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
}

const MSSANTE: &str = "annuaire/Extraction_Correspondance_MSSante_202611200300.txt";
const RPPS: &str = "annuaire/PS_LibreAcces_Personne_activite_202611200300.txt";
const WHITELIST: &str = "listeblanche/listeblanchemssante.xml";

fn opts() -> ImportOptions<'static> {
    ImportOptions::new("patient.mssante.example")
}

async fn active(db: &store::Db, address: &str) -> bool {
    match lookup::lookup(db, address).await.expect("lookup") {
        Some(Entry::Mailbox(m)) => m.active,
        other => panic!("{address}: {other:?}"),
    }
}

#[tokio::test]
async fn mailboxes_duplicates_reimport_and_deactivation() {
    for_each_backend(|db| async move {
        let r = import_file(&db, &fixture(MSSANTE), &mut opts())
            .await
            .expect("import");
        assert_eq!(r.kind, Some(ImportKind::Mailboxes));
        assert_eq!(r.rows_read, 49);
        assert_eq!((r.imported, r.updated, r.deactivated), (45, 0, 0));
        let lines: Vec<(u64, bool)> = r
            .rejected
            .iter()
            .map(|x| (x.line, x.reason.contains("duplicate address")))
            .collect();
        assert_eq!(lines, vec![(31, true), (38, true), (45, true), (50, true)]);
        assert!(
            r.rejected[0].reason.contains("first at line 11"),
            "{:?}",
            r.rejected[0]
        );

        // The first line of a duplicated address wins (RPPS of line 11, not line 31).
        let Some(Entry::Mailbox(lea)) = lookup::lookup(&db, "Lea.Rousseau@medecin.mssante.example")
            .await
            .unwrap()
        else {
            panic!("lea.rousseau not found")
        };
        assert_eq!(lea.pp_id.as_deref(), Some("10693719556"));
        assert_eq!(lea.last_name.as_deref(), Some("ROUSSEAU"));
        assert_eq!(lea.first_name.as_deref(), Some("Léa"));

        // Idempotent: the same file again creates nothing and deactivates nothing.
        let again = import_file(&db, &fixture(MSSANTE), &mut opts())
            .await
            .unwrap();
        assert_eq!(
            (again.imported, again.updated, again.deactivated),
            (0, 45, 0)
        );

        // A newer full extract without one mailbox: it becomes inactive, not deleted.
        let dir = tempfile::tempdir().unwrap();
        let newer = dir
            .path()
            .join("Extraction_Correspondance_MSSante_202611210300.txt");
        let text = std::fs::read_to_string(fixture(MSSANTE)).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.contains("noe.blanc@dentiste.mssante.example"))
            .collect();
        std::fs::write(&newer, kept.join("\n") + "\n").unwrap();
        let r = import_file(&db, &newer, &mut opts()).await.unwrap();
        assert_eq!((r.imported, r.updated, r.deactivated), (0, 44, 1));
        assert!(!active(&db, "noe.blanc@dentiste.mssante.example").await);
        assert!(active(&db, "camille.martin@medecin.mssante.example").await);
        // It comes back with the next extract that lists it.
        let r = import_file(&db, &fixture(MSSANTE), &mut opts())
            .await
            .unwrap();
        assert_eq!((r.imported, r.updated, r.deactivated), (0, 45, 0));
        assert!(active(&db, "noe.blanc@dentiste.mssante.example").await);
    })
    .await;
}

#[tokio::test]
async fn malformed_rows_are_reported_with_their_line() {
    for_each_backend(|db| async move {
        let text = std::fs::read_to_string(fixture(MSSANTE)).unwrap();
        let mut lines: Vec<String> = text.lines().take(4).map(str::to_string).collect();
        let good = lines[3].clone();
        let field = |i: usize, v: &str| {
            let mut f: Vec<&str> = good.split('|').collect();
            f[i] = v;
            f.join("|")
        };
        lines.push("PER|too|few|columns".into()); // line 5
        lines.push(field(1, "not an address")); // line 6
        lines.push(field(0, "XYZ").replace("pharmacie-de-la-gare", "other")); // line 7
        lines.push(
            "PER|x.y@medecin.mssante.example|8|123|8123||||DR|Y|X|C|Civil|10|Médecin|||True|||||1||R|V||37000 TOURS|37000|37|France".into(),
        ); // line 8: bad RPPS
        lines.push(
            "PER|x.z@medecin.mssante.example|8|10284642892|810284642899||||DR|Z|X|C|Civil|10|Médecin|||True|||||1||R|V||37000 TOURS|37000|37|France".into(),
        ); // line 9: national id mismatch
        lines.push(field(6, "ABC").replace("pharmacie-de-la-gare", "bad-finess")); // line 10
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.txt");
        std::fs::write(&p, lines.join("\n")).unwrap();
        let r = import_file(&db, &p, &mut opts()).await.expect("import goes on");
        assert_eq!(r.rows_read, 9);
        assert_eq!(r.imported, 3);
        let got: Vec<(u64, &str)> = r.rejected.iter().map(|x| (x.line, x.reason.as_str())).collect();
        let want = [
            (5, "expected 31 columns, found 4"),
            (6, "bad address `not an address`"),
            (7, "unknown mailbox type `XYZ`"),
            (8, "bad identifier `123`"),
            (9, "does not match"),
            (10, "bad structure identifier `ABC`"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((line, reason), (wline, wreason)) in got.iter().zip(want) {
            assert_eq!(*line, wline, "{reason}");
            assert!(reason.contains(wreason), "line {line}: {reason} ∌ {wreason}");
        }
    })
    .await;
}

#[tokio::test]
async fn unreadable_or_unknown_files_are_errors() {
    for_each_backend(|db| async move {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("odd.txt");
        std::fs::write(&odd, "hello|world\n1|2\n").unwrap();
        let err = import_file(&db, &odd, &mut opts()).await.unwrap_err();
        assert!(matches!(err, DirectoryError::UnknownFormat { .. }), "{err}");
        assert!(err.to_string().contains("hello|world"), "{err}");
        let missing = dir.path().join("missing.txt");
        let err = import_file(&db, &missing, &mut opts()).await.unwrap_err();
        assert!(matches!(err, DirectoryError::Read { .. }), "{err}");
        // A header of the right kind but the wrong shape.
        let short = dir.path().join("short.txt");
        std::fs::write(&short, "Type de BAL|Adresse BAL|x\nPER|a@b.example|8\n").unwrap();
        let err = import_file(&db, &short, &mut opts()).await.unwrap_err();
        assert!(err.to_string().contains("has 31"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn pharmacies_from_activities_and_operator_mark() {
    for_each_backend(|db| async move {
        import_file(&db, &fixture(MSSANTE), &mut opts())
            .await
            .unwrap();
        let r = import_file(&db, &fixture(RPPS), &mut opts()).await.unwrap();
        assert_eq!(r.kind, Some(ImportKind::Activities));
        assert_eq!(r.rows_read, 40);
        assert_eq!(r.imported, 40);
        assert!(r.rejected.is_empty(), "{:?}", r.rejected);
        assert!(r.notes[0].contains("6 officines"), "{:?}", r.notes);
        let pharmacy = |a: &'static str| {
            let db = db.clone();
            async move {
                match lookup::lookup(&db, a).await.unwrap() {
                    Some(Entry::Mailbox(m)) => m.pharmacy,
                    other => panic!("{a}: {other:?}"),
                }
            }
        };
        for a in [
            "du-centre-37000@pharmacie.mssante.example",
            "du-marche-20000@pharmacie.mssante.example", // FINESS 2A…
            "l-orangerie-97200@pharmacie.mssante.example",
        ] {
            assert!(pharmacy(a).await, "{a} should be a pharmacy");
        }
        assert!(!pharmacy("cardiologie@chu-exemple.mssante.example").await);
        // A PER pharmacist working in an officine is not a pharmacy mailbox.
        assert!(!pharmacy("chloe.bernard@pharmacien.mssante.example").await);

        // The operator's mark, which survives re-imports.
        let lab = "secretariat@labo-bio.mssante.example";
        assert!(!pharmacy(lab).await);
        let m = lookup::mark_pharmacy(&db, lab).await.unwrap();
        assert!(m.pharmacy && m.pharmacy_marked);
        import_file(&db, &fixture(MSSANTE), &mut opts())
            .await
            .unwrap();
        import_file(&db, &fixture(RPPS), &mut opts()).await.unwrap();
        assert!(pharmacy(lab).await);
        let err = lookup::mark_pharmacy(&db, "camille.martin@medecin.mssante.example")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("only an ORG mailbox"), "{err}");
        let err = lookup::mark_pharmacy(&db, "nobody@pharmacie.mssante.example")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not in the directory"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn whitelist_with_idna_domains() {
    for_each_backend(|db| async move {
        let r = import_file(&db, &fixture(WHITELIST), &mut opts())
            .await
            .unwrap();
        assert_eq!(r.kind, Some(ImportKind::Whitelist));
        assert_eq!((r.rows_read, r.imported), (5, 5));
        for d in [
            "medecin.mssante.example",
            "CHU-Exemple.MSSante.example",
            "hôpital-été.mssante.example",
            "xn--hpital-t-h1ab6i.mssante.example",
        ] {
            assert!(lookup::is_whitelisted(&db, d).await.unwrap(), "{d}");
        }
        assert!(!lookup::is_whitelisted(&db, "gmail.example").await.unwrap());
        let dn = "CN=mx.mssante.example,OU=0002 123456789,O=OPERATEUR EXEMPLE,ST=Tours (37),C=FR";
        assert_eq!(
            lookup::domains_for_operator_dn(&db, dn).await.unwrap(),
            vec!["medecin.mssante.example", "pharmacie.mssante.example"]
        );
        let again = import_file(&db, &fixture(WHITELIST), &mut opts())
            .await
            .unwrap();
        assert_eq!(
            (again.imported, again.updated, again.deactivated),
            (0, 5, 0)
        );
    })
    .await;
}

#[tokio::test]
async fn insured_register_creates_accounts_once() {
    for_each_backend(|db| async move {
        let dir = tempfile::tempdir().unwrap();
        let codes_path = dir.path().join("codes.csv");
        let mut codes = accounts::CodesWriter::create(&codes_path).unwrap();
        let mut o = opts();
        o.codes = Some(&mut codes);
        let r = import_file(&db, &fixture("citizens/assures.csv"), &mut o)
            .await
            .unwrap();
        assert_eq!(r.kind, Some(ImportKind::Insured));
        assert_eq!((r.rows_read, r.imported, r.updated), (14, 14, 0));
        assert!(r.rejected.is_empty(), "{:?}", r.rejected);
        drop(o);
        let text = std::fs::read_to_string(&codes_path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 13, "header + 12 adults (children get no code)");
        let first: Vec<&str> = lines[1].split(';').collect();
        assert_eq!(first[0], "240013700100130");
        assert_eq!(first[1], "240013700100130@patient.mssante.example");
        assert_eq!(first[2], "camille.martin0@courriel.example");
        let code = first[3].to_string();
        assert_eq!(code.len(), 12);
        assert!(
            directory::credentials::verify_provisional_code(&db, "240013700100130", &code)
                .await
                .unwrap()
        );
        assert!(
            !directory::credentials::verify_provisional_code(
                &db,
                "240013700100130",
                "AAAAAAAAAAAA"
            )
            .await
            .unwrap()
        );

        let corsican = accounts::account(&db, "252052a14900510@patient.mssante.example")
            .await
            .unwrap()
            .expect("Corsican NIR");
        assert_eq!(corsican.nir, "252052A14900510");
        assert_eq!(corsican.state, directory::AccountState::Pending);
        assert_eq!(
            accounts::children_of(&db, "240013700100130").await.unwrap(),
            vec!["115063726104045", "216063726104142"]
        );
        assert_eq!(
            accounts::guardians_of(&db, "115063726104045")
                .await
                .unwrap(),
            vec!["240013700100130"]
        );

        // State and code survive a re-import; no new code is issued.
        accounts::apply(&db, "240013700100130", accounts::Action::Activate)
            .await
            .unwrap();
        let child = accounts::account(&db, "115063726104045")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            child.state,
            directory::AccountState::Active,
            "children follow"
        );
        let codes2_path = dir.path().join("codes2.csv");
        let mut codes2 = accounts::CodesWriter::create(&codes2_path).unwrap();
        let mut o = opts();
        o.codes = Some(&mut codes2);
        let r = import_file(&db, &fixture("citizens/assures.csv"), &mut o)
            .await
            .unwrap();
        assert_eq!((r.imported, r.updated, r.deactivated), (0, 14, 0));
        drop(o);
        assert_eq!(
            std::fs::read_to_string(&codes2_path)
                .unwrap()
                .lines()
                .count(),
            1
        );
        let acc = accounts::account(&db, "240013700100130")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(acc.state, directory::AccountState::Active);
        assert!(
            directory::credentials::verify_provisional_code(&db, "240013700100130", &code)
                .await
                .unwrap()
        );

        // The register without a codes output is refused before anything is written.
        let err = import_file(&db, &fixture("citizens/assures.csv"), &mut opts())
            .await
            .unwrap_err();
        assert!(
            matches!(err, DirectoryError::CodesOutputRequired { .. }),
            "{err}"
        );
    })
    .await;
}

#[tokio::test]
async fn insured_register_rejects_bad_lines() {
    for_each_backend(|db| async move {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("assures.csv");
        std::fs::write(
            &p,
            "nir;nom_naissance;prenoms;date_naissance;sexe;numero_serie_vitale;email;mobile;responsable_legal_nir\n\
             240013700100130;MARTIN;Camille;1940-01-01;F;1;a@b.example;;\n\
             240013700100131;MARTIN;Bad key;1940-01-01;F;;;;\n\
             143024503800277;GARNIER;Chloé;1943-02-30;M;;;;\n\
             240013700100130;MARTIN;Twice;1940-01-01;F;;;;\n\
             115063726104045;MARTIN;Lou;2015-06-01;M;;;;999999999999999\n\
             216063726104142;MARTIN;Sacha;2016-06-02;F;;;;173129720901280\n",
        )
        .unwrap();
        let mut codes = accounts::CodesWriter::create(&dir.path().join("c.csv")).unwrap();
        let mut o = opts();
        o.codes = Some(&mut codes);
        let r = import_file(&db, &p, &mut o).await.unwrap();
        assert_eq!((r.rows_read, r.imported), (6, 2));
        let got: Vec<(u64, String)> =
            r.rejected.iter().map(|x| (x.line, x.reason.clone())).collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0].0, 3);
        assert!(got[0].1.contains("wrong NIR key 31 (expected 30)"), "{got:?}");
        assert_eq!(got[1].0, 4);
        assert!(got[1].1.contains("bad birth date"), "{got:?}");
        assert_eq!(got[2].0, 5);
        assert!(got[2].1.contains("duplicate NIR"), "{got:?}");
        assert_eq!(got[3].0, 6);
        assert!(got[3].1.contains("bad legal guardian NIR"), "{got:?}");
        // A guardian missing from the register is a note with the child's line.
        assert!(
            r.notes.iter().any(|n| n.starts_with("line 7: legal guardian 173129720901280")),
            "{:?}",
            r.notes
        );
    })
    .await;
}
