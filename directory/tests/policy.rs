//! The policy through the database (resolve → decide), permits and credentials, on SQLite and
//! PostgreSQL, with the national fixture files imported.

use std::path::{Path, PathBuf};

use directory::accounts::{self, Action, CodesWriter};
use directory::import::{ImportOptions, import_file};
use directory::policy::{Allowed, Decision, DenyReason, Party};
use directory::{AccountState, MailboxKind, check, check_as, credentials, permits, resolve};
use store::Db;
use store::testing::for_each_backend;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
}

fn local() -> Vec<String> {
    [
        "patient.mssante.example",
        "medecin.mssante.example",
        "pharmacie.mssante.example",
        "pharmacien.mssante.example",
        "infirmier.mssante.example",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

async fn load_all(db: &Db) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut codes = CodesWriter::create(&dir.path().join("codes.csv")).unwrap();
    for f in [
        "annuaire/Extraction_Correspondance_MSSante_202611200300.txt",
        "annuaire/PS_LibreAcces_Personne_activite_202611200300.txt",
        "listeblanche/listeblanchemssante.xml",
        "citizens/assures.csv",
    ] {
        let mut o = ImportOptions::new("patient.mssante.example");
        o.codes = Some(&mut codes);
        import_file(db, &fixture(f), &mut o).await.expect(f);
    }
    dir
}

const DOC: &str = "camille.martin@medecin.mssante.example";
const PHARMA: &str = "du-centre-37000@pharmacie.mssante.example";
const ALICE: &str = "240013700100130@patient.mssante.example";
const BOB: &str = "143024503800277@patient.mssante.example";
const LOU: &str = "115063726104045@patient.mssante.example";

fn denied(d: Decision) -> DenyReason {
    match d {
        Decision::Deny(d) => d.reason,
        Decision::Allow(a) => panic!("allowed ({a:?}), expected a refusal"),
    }
}

#[tokio::test]
async fn resolve_tells_who_is_who() {
    for_each_backend(|db| async move {
        let _keep = load_all(&db).await;
        let l = local();
        let p = resolve(&db, PHARMA, &l).await.unwrap();
        assert!(
            matches!(
                p,
                Party::Mailbox {
                    kind: MailboxKind::Org,
                    pharmacy: true,
                    active: true,
                    ..
                }
            ),
            "{p:?}"
        );
        let p = resolve(&db, "252052A14900510@Patient.MSSante.example", &l)
            .await
            .unwrap();
        assert!(
            matches!(
                p,
                Party::Citizen {
                    state: AccountState::Pending,
                    in_register: true,
                    ..
                }
            ),
            "{p:?}"
        );
        let p = resolve(&db, "nobody@medecin.mssante.example", &l)
            .await
            .unwrap();
        assert_eq!(
            p,
            Party::Unknown {
                address: "nobody@medecin.mssante.example".into(),
                local: true
            }
        );
        // Whitelisted, not ours, in Unicode and punycode forms.
        for a in [
            "x@hôpital-été.mssante.example",
            "x@xn--hpital-t-h1ab6i.mssante.example",
        ] {
            let p = resolve(&db, a, &l).await.unwrap();
            assert!(
                matches!(p, Party::Unknown { local: false, .. }),
                "{a}: {p:?}"
            );
        }
        let p = resolve(&db, "someone@gmail.example", &l).await.unwrap();
        assert!(matches!(p, Party::Outside { .. }));
        // Our own domain counts as in the space although the whitelist does not list it.
        let p = resolve(&db, "new@infirmier.mssante.example", &l)
            .await
            .unwrap();
        assert!(matches!(p, Party::Unknown { local: true, .. }));
        assert!(resolve(&db, "not an address", &l).await.is_err());
        // A pharmacist may also send as the ORG mailbox of their officine.
        assert_eq!(
            directory::org_mailboxes_of(&db, "chloe.bernard@pharmacien.mssante.example")
                .await
                .unwrap(),
            vec!["saint-eloi-69003@pharmacie.mssante.example"]
        );
    })
    .await;
}

#[tokio::test]
async fn the_journey_of_a_conversation() {
    for_each_backend(|db| async move {
        let _keep = load_all(&db).await;
        let l = local();
        // Pending accounts receive nothing yet and send nothing.
        assert_eq!(
            denied(check(&db, DOC, ALICE, &l).await.unwrap()),
            DenyReason::RecipientNotOpenYet
        );
        assert_eq!(
            denied(check(&db, ALICE, PHARMA, &l).await.unwrap()),
            DenyReason::SenderNotActive(AccountState::Pending)
        );
        accounts::apply(&db, ALICE, Action::Activate).await.unwrap();
        assert_eq!(
            check(&db, DOC, ALICE, &l).await.unwrap(),
            Decision::Allow(Allowed::ProfessionalSender)
        );
        // The citizen may write to a pharmacy, not to a doctor who did not write first.
        assert_eq!(
            check(&db, ALICE, PHARMA, &l).await.unwrap(),
            Decision::Allow(Allowed::Pharmacy)
        );
        assert_eq!(
            denied(check(&db, ALICE, DOC, &l).await.unwrap()),
            DenyReason::NoPermit
        );
        permits::record_permit(&db, ALICE, DOC, Some("<m1@medecin.mssante.example>"))
            .await
            .unwrap();
        assert_eq!(
            check(&db, ALICE, DOC, &l).await.unwrap(),
            Decision::Allow(Allowed::OpenPermit)
        );
        permits::end_permit(&db, ALICE, "Camille.Martin@medecin.mssante.example")
            .await
            .unwrap();
        assert_eq!(
            denied(check(&db, ALICE, DOC, &l).await.unwrap()),
            DenyReason::PermitEnded
        );
        let list = permits::permits_of(&db, ALICE).await.unwrap();
        assert_eq!(list.len(), 1);
        assert!(list[0].ended_at.is_some());
        assert_eq!(
            list[0].message_id.as_deref(),
            Some("<m1@medecin.mssante.example>")
        );
        // A new message without FIN opens the conversation again.
        permits::record_permit(&db, ALICE, DOC, None).await.unwrap();
        assert!(check(&db, ALICE, DOC, &l).await.unwrap().is_allowed());
        // Citizen to citizen, and outside the space.
        assert_eq!(
            denied(check(&db, ALICE, BOB, &l).await.unwrap()),
            DenyReason::CitizenToCitizen
        );
        assert_eq!(
            denied(check(&db, ALICE, "x@gmail.example", &l).await.unwrap()),
            DenyReason::RecipientOutside
        );
        assert_eq!(
            denied(check(&db, "x@gmail.example", DOC, &l).await.unwrap()),
            DenyReason::SenderOutside
        );
        assert_eq!(
            denied(
                check(&db, DOC, "nobody@medecin.mssante.example", &l)
                    .await
                    .unwrap()
            ),
            DenyReason::RecipientUnknown
        );
        // Closing: refused with 5.2.1.
        accounts::apply(&db, ALICE, Action::Close).await.unwrap();
        match check(&db, DOC, ALICE, &l).await.unwrap() {
            Decision::Deny(d) => {
                assert_eq!(
                    d.reason,
                    DenyReason::RecipientDisabled(AccountState::Closed)
                );
                assert_eq!((d.code(), d.enhanced()), (550, "5.2.1"));
            }
            other => panic!("{other:?}"),
        }
        // Opposition of a pending account.
        accounts::apply(&db, BOB, Action::Oppose).await.unwrap();
        assert_eq!(
            denied(check(&db, DOC, BOB, &l).await.unwrap()),
            DenyReason::RecipientDisabled(AccountState::Opposed)
        );
    })
    .await;
}

#[tokio::test]
async fn a_parent_acts_for_a_child() {
    for_each_backend(|db| async move {
        let _keep = load_all(&db).await;
        let l = local();
        accounts::apply(&db, ALICE, Action::Activate).await.unwrap(); // Lou follows
        assert!(accounts::is_guardian(&db, ALICE, LOU).await.unwrap());
        assert!(!accounts::is_guardian(&db, BOB, LOU).await.unwrap());
        permits::record_permit(&db, LOU, DOC, None).await.unwrap();
        assert_eq!(
            check_as(&db, LOU, DOC, &l, Some(ALICE)).await.unwrap(),
            Decision::Allow(Allowed::OpenPermit)
        );
        // The parent's own permits are not the child's.
        assert_eq!(
            denied(
                check_as(
                    &db,
                    LOU,
                    "hugo.le-gall@infirmier.mssante.example",
                    &l,
                    Some(ALICE)
                )
                .await
                .unwrap()
            ),
            DenyReason::NoPermit
        );
        accounts::apply(&db, BOB, Action::Activate).await.unwrap();
        assert_eq!(
            denied(check_as(&db, LOU, PHARMA, &l, Some(BOB)).await.unwrap()),
            DenyReason::NotGuardian
        );
    })
    .await;
}

#[tokio::test]
async fn passwords_and_provisional_codes() {
    for_each_backend(|db| async move {
        let a = "Camille.Martin@medecin.mssante.example";
        assert!(
            !credentials::verify_password(&db, a, "correct horse battery")
                .await
                .unwrap()
        );
        let err = credentials::set_password(&db, a, "short")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("at least 12"), "{err}");
        credentials::set_password(&db, a, "correct horse battery")
            .await
            .unwrap();
        assert!(
            credentials::verify_password(
                &db,
                "camille.martin@medecin.mssante.example",
                "correct horse battery"
            )
            .await
            .unwrap()
        );
        assert!(
            !credentials::verify_password(&db, a, "correct horse batterY")
                .await
                .unwrap()
        );
        credentials::set_password(&db, a, "another good passphrase")
            .await
            .unwrap();
        assert!(
            !credentials::verify_password(&db, a, "correct horse battery")
                .await
                .unwrap()
        );
        assert!(credentials::remove_password(&db, a).await.unwrap());
        assert!(
            !credentials::verify_password(&db, a, "another good passphrase")
                .await
                .unwrap()
        );

        let _keep = load_all(&db).await;
        let code = accounts::reset_code(&db, "143024503800277").await.unwrap();
        assert!(
            credentials::verify_provisional_code(&db, BOB, &code)
                .await
                .unwrap()
        );
        assert!(
            !credentials::verify_provisional_code(&db, LOU, &code)
                .await
                .unwrap(),
            "a child has no code"
        );
        assert!(
            !credentials::verify_provisional_code(&db, "nobody@patient.mssante.example", &code)
                .await
                .unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn accounts_open_after_the_opposition_period() {
    for_each_backend(|db| async move {
        let _keep = load_all(&db).await;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert_eq!(
            accounts::open_expired(&db, now, accounts::OPPOSITION_PERIOD_SECS)
                .await
                .unwrap(),
            0
        );
        accounts::apply(&db, BOB, Action::Oppose).await.unwrap();
        let opened = accounts::open_expired(
            &db,
            now + accounts::OPPOSITION_PERIOD_SECS + 1,
            accounts::OPPOSITION_PERIOD_SECS,
        )
        .await
        .unwrap();
        assert_eq!(opened, 13, "14 pending minus the opposed one");
        let bob = accounts::account(&db, BOB).await.unwrap().unwrap();
        assert_eq!(bob.state, AccountState::Opposed);
        assert!(bob.opposed_at.is_some());
    })
    .await;
}
