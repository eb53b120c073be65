//! A parent acting for a child (DESIGN §4): the child's party and permits, a registered guardian.

use super::*;

#[test]
fn parent_acts_for_child_with_the_childs_permits() {
    use Allowed::*;
    use DenyReason::*;
    let parent = citizen(ALICE, Active);
    let child = citizen(CHILD, Active);
    #[rustfmt::skip]
    type Row<'a> = (&'a str, Party, bool, Party, Vec<Permit>, Want);
    let rows: Vec<Row> = vec![
        (
            "linked parent, child's open permit",
            parent.clone(),
            true,
            per(DOC),
            vec![open(DOC)],
            allow(OpenPermit),
        ),
        (
            "linked parent, child has no permit",
            parent.clone(),
            true,
            per(DOC),
            vec![],
            no(NoPermit, "5.7.1"),
        ),
        (
            "linked parent, child's permit ended",
            parent.clone(),
            true,
            per(DOC),
            vec![ended(DOC)],
            no(PermitEnded, "5.7.1"),
        ),
        (
            "linked parent → pharmacy",
            parent.clone(),
            true,
            org(true),
            vec![],
            allow(Pharmacy),
        ),
        (
            "linked parent → citizen",
            parent.clone(),
            true,
            citizen(BOB, Active),
            vec![],
            no(CitizenToCitizen, "5.7.1"),
        ),
        (
            "not linked",
            citizen(BOB, Active),
            false,
            org(true),
            vec![],
            no(NotGuardian, "5.7.1"),
        ),
        (
            "linked but parent pending",
            citizen(ALICE, Pending),
            true,
            org(true),
            vec![],
            no(NotGuardian, "5.7.1"),
        ),
        (
            "linked but parent closed",
            citizen(ALICE, Closed),
            true,
            org(true),
            vec![],
            no(NotGuardian, "5.7.1"),
        ),
        (
            "a professional is no guardian",
            per(NURSE),
            true,
            org(true),
            vec![],
            no(NotGuardian, "5.7.1"),
        ),
    ];
    for (name, guardian, linked, recipient, permits, want) in rows {
        let got = decide(&PolicyInput {
            sender: &child,
            recipient: &recipient,
            permits: &permits,
            guardian: Some(Guardian {
                party: &guardian,
                linked,
            }),
        });
        check(name, got, want);
    }
    // The child's own account must be open too.
    let pending_child = citizen(CHILD, Pending);
    let got = decide(&PolicyInput {
        sender: &pending_child,
        recipient: &org(true),
        permits: &[],
        guardian: Some(Guardian {
            party: &parent,
            linked: true,
        }),
    });
    check("child pending", got, no(SenderNotActive(Pending), "5.7.1"));
}
