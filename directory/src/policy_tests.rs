//! One row per line of the policy table (DESIGN §4), plus the account-state decisions.

use super::*;
use AccountState::*;

const DOC: &str = "camille.martin@medecin.mssante.example";
const NURSE: &str = "hugo.le-gall@infirmier.mssante.example";

fn per(address: &str) -> Party {
    Party::Mailbox {
        address: address.into(),
        kind: MailboxKind::Per,
        pharmacy: false,
        active: true,
    }
}
fn org(pharmacy: bool) -> Party {
    Party::Mailbox {
        address: "du-centre-37000@pharmacie.mssante.example".into(),
        kind: MailboxKind::Org,
        pharmacy,
        active: true,
    }
}
fn app() -> Party {
    Party::Mailbox {
        address: "secretariat@labo-bio.mssante.example".into(),
        kind: MailboxKind::App,
        pharmacy: false,
        active: true,
    }
}
fn gone() -> Party {
    Party::Mailbox {
        address: "old@medecin.mssante.example".into(),
        kind: MailboxKind::Per,
        pharmacy: false,
        active: false,
    }
}
fn citizen(nir: &str, state: AccountState) -> Party {
    Party::Citizen {
        address: format!("{nir}@patient.mssante.example"),
        nir: nir.into(),
        state,
        in_register: true,
    }
}
fn unregistered() -> Party {
    Party::Citizen {
        address: "173129720901280@patient.mssante.example".into(),
        nir: "173129720901280".into(),
        state: Active,
        in_register: false,
    }
}
fn unknown(local: bool) -> Party {
    Party::Unknown {
        address: "who@medecin.mssante.example".into(),
        local,
    }
}
fn outside() -> Party {
    Party::Outside {
        address: "someone@gmail.example".into(),
    }
}
fn open(to: &str) -> Permit {
    Permit {
        pro_address: to.into(),
        ended: false,
    }
}
fn ended(to: &str) -> Permit {
    Permit {
        pro_address: to.into(),
        ended: true,
    }
}

const ALICE: &str = "240013700100130";
const BOB: &str = "143024503800277";
const CHILD: &str = "115063726104045";

type Want = Result<Allowed, (DenyReason, &'static str)>;

fn allow(a: Allowed) -> Want {
    Ok(a)
}
fn no(r: DenyReason, enhanced: &'static str) -> Want {
    Err((r, enhanced))
}

#[test]
fn table() {
    use Allowed::*;
    use DenyReason::*;
    let alice = citizen(ALICE, Active);
    let no_permits: Vec<Permit> = vec![];
    #[rustfmt::skip]
    type Row<'a> = (&'a str, Party, Party, Vec<Permit>, Want);
    let rows: Vec<Row> = vec![
        // professional / ORG / APP → anyone open in the space
        (
            "PER → PER",
            per(DOC),
            per(NURSE),
            vec![],
            allow(ProfessionalSender),
        ),
        (
            "PER → ORG",
            per(DOC),
            org(false),
            vec![],
            allow(ProfessionalSender),
        ),
        (
            "ORG → PER",
            org(true),
            per(DOC),
            vec![],
            allow(ProfessionalSender),
        ),
        (
            "APP → citizen active",
            app(),
            alice.clone(),
            vec![],
            allow(ProfessionalSender),
        ),
        (
            "PER → citizen active",
            per(DOC),
            alice.clone(),
            vec![],
            allow(ProfessionalSender),
        ),
        (
            "PER → remote unknown (whitelisted)",
            per(DOC),
            unknown(false),
            vec![],
            allow(ProfessionalSender),
        ),
        (
            "remote unknown (whitelisted) → citizen",
            unknown(false),
            alice.clone(),
            vec![],
            allow(ProfessionalSender),
        ),
        // closed / opposed / pending citizen accounts refuse
        (
            "PER → citizen pending",
            per(DOC),
            citizen(BOB, Pending),
            vec![],
            no(RecipientNotOpenYet, "5.2.1"),
        ),
        (
            "PER → citizen opposed",
            per(DOC),
            citizen(BOB, Opposed),
            vec![],
            no(RecipientDisabled(Opposed), "5.2.1"),
        ),
        (
            "PER → citizen closed",
            per(DOC),
            citizen(BOB, Closed),
            vec![],
            no(RecipientDisabled(Closed), "5.2.1"),
        ),
        (
            "PER → citizen gone from register",
            per(DOC),
            unregistered(),
            vec![],
            no(RecipientUnknown, "5.1.1"),
        ),
        // unknown addresses
        (
            "PER → unknown local",
            per(DOC),
            unknown(true),
            vec![],
            no(RecipientUnknown, "5.1.1"),
        ),
        (
            "PER → entry gone from extract",
            per(DOC),
            gone(),
            vec![],
            no(RecipientUnknown, "5.1.1"),
        ),
        (
            "unknown local → PER",
            unknown(true),
            per(DOC),
            vec![],
            no(SenderUnknown, "5.7.1"),
        ),
        (
            "entry gone from extract → PER",
            gone(),
            per(DOC),
            vec![],
            no(SenderUnknown, "5.7.1"),
        ),
        // outside the space (domain neither ours nor whitelisted)
        (
            "PER → outside",
            per(DOC),
            outside(),
            vec![],
            no(RecipientOutside, "5.7.1"),
        ),
        (
            "outside → PER",
            outside(),
            per(DOC),
            vec![],
            no(SenderOutside, "5.7.1"),
        ),
        (
            "outside → citizen",
            outside(),
            alice.clone(),
            vec![],
            no(SenderOutside, "5.7.1"),
        ),
        (
            "citizen → outside",
            alice.clone(),
            outside(),
            vec![open("someone@gmail.example")],
            no(RecipientOutside, "5.7.1"),
        ),
        // citizen → professional: only with an open permit
        (
            "citizen → PER with open permit",
            alice.clone(),
            per(DOC),
            vec![open(DOC)],
            allow(OpenPermit),
        ),
        (
            "citizen → PER after FIN",
            alice.clone(),
            per(DOC),
            vec![ended(DOC)],
            no(PermitEnded, "5.7.1"),
        ),
        (
            "citizen → PER never wrote",
            alice.clone(),
            per(DOC),
            no_permits.clone(),
            no(NoPermit, "5.7.1"),
        ),
        (
            "citizen → PER, permit is for another",
            alice.clone(),
            per(DOC),
            vec![open(NURSE)],
            no(NoPermit, "5.7.1"),
        ),
        (
            "citizen → ORG (not pharmacy) no permit",
            alice.clone(),
            org(false),
            vec![],
            no(NoPermit, "5.7.1"),
        ),
        (
            "citizen → APP no permit",
            alice.clone(),
            app(),
            vec![],
            no(NoPermit, "5.7.1"),
        ),
        (
            "citizen → remote unknown with permit",
            alice.clone(),
            unknown(false),
            vec![open("who@medecin.mssante.example")],
            allow(OpenPermit),
        ),
        (
            "citizen → remote unknown no permit",
            alice.clone(),
            unknown(false),
            vec![],
            no(NoPermit, "5.7.1"),
        ),
        (
            "citizen → unknown local",
            alice.clone(),
            unknown(true),
            vec![],
            no(RecipientUnknown, "5.1.1"),
        ),
        (
            "citizen → PER gone, permit open",
            alice.clone(),
            gone(),
            vec![open("old@medecin.mssante.example")],
            no(RecipientUnknown, "5.1.1"),
        ),
        // citizen → pharmacy: always
        (
            "citizen → pharmacy",
            alice.clone(),
            org(true),
            vec![],
            allow(Pharmacy),
        ),
        (
            "citizen → pharmacy after FIN",
            alice.clone(),
            org(true),
            vec![ended("du-centre-37000@pharmacie.mssante.example")],
            allow(Pharmacy),
        ),
        // citizen → citizen: refused whatever the state (no state leaks)
        (
            "citizen → citizen",
            alice.clone(),
            citizen(BOB, Active),
            vec![],
            no(CitizenToCitizen, "5.7.1"),
        ),
        (
            "citizen → citizen closed",
            alice.clone(),
            citizen(BOB, Closed),
            vec![],
            no(CitizenToCitizen, "5.7.1"),
        ),
        (
            "citizen → citizen with 'permit'",
            alice.clone(),
            citizen(BOB, Active),
            vec![open(&format!("{BOB}@patient.mssante.example"))],
            no(CitizenToCitizen, "5.7.1"),
        ),
        // the sending citizen's own state
        (
            "pending citizen → pharmacy",
            citizen(BOB, Pending),
            org(true),
            vec![],
            no(SenderNotActive(Pending), "5.7.1"),
        ),
        (
            "opposed citizen → PER with permit",
            citizen(BOB, Opposed),
            per(DOC),
            vec![open(DOC)],
            no(SenderNotActive(Opposed), "5.7.1"),
        ),
        (
            "closed citizen → pharmacy",
            citizen(BOB, Closed),
            org(true),
            vec![],
            no(SenderNotActive(Closed), "5.7.1"),
        ),
        (
            "citizen gone from register → pharmacy",
            unregistered(),
            org(true),
            vec![],
            no(SenderUnknown, "5.7.1"),
        ),
    ];
    for (name, sender, recipient, permits, want) in rows {
        let got = decide(&PolicyInput {
            sender: &sender,
            recipient: &recipient,
            permits: &permits,
            guardian: None,
        });
        check(name, got, want);
    }
}

fn check(name: &str, got: Decision, want: Want) {
    match (got, want) {
        (Decision::Allow(a), Ok(w)) => assert_eq!(a, w, "{name}"),
        (Decision::Deny(d), Err((r, enhanced))) => {
            assert_eq!(d.reason, r, "{name}");
            assert_eq!(d.code(), 550, "{name}");
            assert_eq!(d.enhanced(), enhanced, "{name}");
            assert!(!d.log_reason().is_empty() && !d.citizen_text().is_empty());
        }
        (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
    }
}

#[path = "policy_guardian_tests.rs"]
mod guardian;

#[test]
fn denial_renders_as_an_smtp_reply() {
    let d = Denial {
        reason: DenyReason::RecipientUnknown,
    };
    assert_eq!(d.to_string(), "550 5.1.1 recipient mailbox unknown");
}
