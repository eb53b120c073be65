//! Table-driven tests of the LIST-EXTENDED option checks and selection (RFC 5258 §3, §5 examples,
//! RFC 6154 §3, RFC 5819).

use super::*;

use ListReturnOption as R;
use ListSelectOption as S;

fn entry(selectable: bool, subscribed: bool, special: Option<&'static str>) -> Entry {
    Entry {
        selectable,
        special,
        subscribed,
        id: selectable.then_some(1),
        kept: false,
    }
}

/// The hierarchy of RFC 5258 §5 example 8 (Fruit, Tofu, Vegetable…), plus our implied
/// `Shared` levels and special-use folders.
fn tree() -> BTreeMap<String, Entry> {
    let mut t = BTreeMap::new();
    for (name, e) in [
        ("INBOX", entry(true, true, None)),
        ("Fruit", entry(true, false, None)),
        ("Fruit/Apple", entry(true, false, None)),
        ("Fruit/Banana", entry(true, true, None)),
        ("Tofu", entry(true, false, None)),
        ("Vegetable", entry(true, true, None)),
        ("Vegetable/Broccoli", entry(true, true, None)),
        ("Vegetable/Corn", entry(true, false, None)),
        ("Sent", entry(true, true, Some("\\Sent"))),
        ("Archive/2026", entry(true, false, Some("\\Archive"))),
        ("Archive", entry(false, false, None)),
        ("Shared", entry(false, false, None)),
        ("Shared/org@x.example", entry(false, false, None)),
        ("Shared/org@x.example/INBOX", entry(true, true, None)),
    ] {
        t.insert(name.to_string(), e);
    }
    t
}

fn run(selection: &[ListSelectOption], returns: &[ListReturnOption], patterns: &[&str]) -> String {
    let o = match options(selection, returns) {
        Ok(o) => o,
        Err(why) => return format!("BAD {why}"),
    };
    let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
    select(&tree(), &patterns, &o)
        .into_iter()
        .map(|l| {
            let mut line = format!("{} ({})", l.name, l.attributes.join(" "));
            if !l.child_info.is_empty() {
                line.push_str(&format!(" CHILDINFO({})", l.child_info.join(" ")));
            }
            if l.status_of.is_some() {
                line.push_str(" +STATUS");
            }
            line
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn selection_table() {
    let status = || R::Status(Vec1::from(StatusDataItemName::Messages));
    /// (selection, return options, patterns, expected lines)
    type Case<'a> = (
        &'a [ListSelectOption],
        Vec<ListReturnOption>,
        &'a [&'a str],
        &'a str,
    );
    let cases: Vec<Case<'_>> = vec![
        // Plain LIST: as RFC 3501, implied parents are \Noselect.
        (
            &[],
            vec![],
            &["%"],
            "Archive (Noselect HasChildren); Fruit (HasChildren); INBOX (HasNoChildren); \
             Sent (HasNoChildren Sent); Shared (Noselect HasChildren); Tofu (HasNoChildren); \
             Vegetable (HasChildren)",
        ),
        // SUBSCRIBED selection: exactly the subscribed names, with \Subscribed (§3.1).
        (
            &[S::Subscribed],
            vec![],
            &["*"],
            "Fruit/Banana (HasNoChildren Subscribed); INBOX (HasNoChildren Subscribed); \
             Sent (HasNoChildren Sent Subscribed); \
             Shared/org@x.example/INBOX (HasNoChildren Subscribed); \
             Vegetable (HasChildren Subscribed); Vegetable/Broccoli (HasNoChildren Subscribed)",
        ),
        // RFC 5258 §5 example 8: parents of subscribed names get CHILDINFO, subscribed or not.
        (
            &[S::Subscribed, S::RecursiveMatch],
            vec![],
            &["%"],
            "Fruit (HasChildren) CHILDINFO(SUBSCRIBED); INBOX (HasNoChildren Subscribed); \
             Sent (HasNoChildren Sent Subscribed); \
             Shared (NonExistent HasChildren) CHILDINFO(SUBSCRIBED); \
             Vegetable (HasChildren Subscribed) CHILDINFO(SUBSCRIBED)",
        ),
        // RECURSIVEMATCH alone is a BAD (§3.1).
        (
            &[S::RecursiveMatch],
            vec![],
            &["%"],
            "BAD RECURSIVEMATCH needs the SUBSCRIBED or SPECIAL-USE selection option",
        ),
        (
            &[S::RecursiveMatch, S::Remote],
            vec![],
            &["%"],
            "BAD RECURSIVEMATCH needs the SUBSCRIBED or SPECIAL-USE selection option",
        ),
        // SPECIAL-USE selection (RFC 6154 §3).
        (
            &[S::SpecialUse],
            vec![],
            &["*"],
            "Archive/2026 (HasNoChildren Archive); Sent (HasNoChildren Sent)",
        ),
        (
            &[S::SpecialUse, S::RecursiveMatch],
            vec![],
            &["%"],
            "Archive (NonExistent HasChildren) CHILDINFO(SPECIAL-USE); \
             Sent (HasNoChildren Sent)",
        ),
        // Return options only: \Subscribed added, nothing filtered; several patterns.
        (
            &[],
            vec![R::Subscribed, R::Children],
            &["INBOX", "Fruit/%"],
            "Fruit/Apple (HasNoChildren); Fruit/Banana (HasNoChildren Subscribed); \
             INBOX (HasNoChildren Subscribed)",
        ),
        // LIST-STATUS: only for selectable mailboxes (RFC 5819 §2).
        (
            &[],
            vec![status()],
            &["Archive*"],
            "Archive (Noselect HasChildren); Archive/2026 (HasNoChildren Archive) +STATUS",
        ),
        (
            &[S::Subscribed],
            vec![status()],
            &["Shared/*"],
            "Shared/org@x.example/INBOX (HasNoChildren Subscribed) +STATUS",
        ),
        // No match.
        (&[S::Subscribed], vec![], &["Tofu"], ""),
    ];
    for (selection, returns, patterns, want) in cases {
        assert_eq!(
            run(selection, &returns, patterns),
            want,
            "{selection:?} {returns:?} {patterns:?}"
        );
    }
}

#[test]
fn status_options_merge() {
    let o = options(
        &[],
        &[
            R::Status(Vec1::from(StatusDataItemName::Messages)),
            R::Status(Vec1::from(StatusDataItemName::Unseen)),
            R::Status(Vec1::from(StatusDataItemName::Messages)),
        ],
    );
    assert_eq!(
        o.map(|o| o.status),
        Ok(Some(vec![
            StatusDataItemName::Messages,
            StatusDataItemName::Unseen
        ]))
    );
}

#[test]
fn child_info_item() {
    assert_eq!(child_info(&[]), None);
    assert_eq!(
        child_info(&["SUBSCRIBED"]),
        Some(MboxListExtendedItem::ChildInfo(Vec1::from(
            ListSelectBaseOpt::Subscribed
        )))
    );
}

/// A subscription kept after its mailbox was deleted (RFC 9051 §6.3.7): `\NonExistent
/// \Subscribed` under the SUBSCRIBED selection (RFC 5258 §5 example 3, "Fruit/Peach"), absent
/// from a plain LIST, and no `\HasChildren` for its parent.
#[test]
fn kept_subscription() {
    let mut t = BTreeMap::new();
    t.insert("Fruit".to_string(), entry(true, false, None));
    let kept = Entry {
        subscribed: true,
        kept: true,
        ..Entry::default()
    };
    t.insert("Fruit/Peach".to_string(), kept);
    let lines = |selection: &[ListSelectOption]| {
        let o = options(selection, &[]).expect("valid options");
        select(&t, &["*".to_string()], &o)
            .into_iter()
            .map(|l| format!("{} ({})", l.name, l.attributes.join(" ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    assert_eq!(lines(&[]), "Fruit (HasNoChildren)");
    assert_eq!(
        lines(&[S::Subscribed]),
        "Fruit/Peach (NonExistent HasNoChildren Subscribed)"
    );
}

/// RFC 5258 §3.5: CHILDINFO only for descendants the patterns do not already list
/// (`Vegetable/Broccoli` matches `*Broccoli`: it is listed, its parent is not).
#[test]
fn child_info_only_for_unlisted_descendants() {
    let lines = |patterns: &[&str]| run(&[S::Subscribed, S::RecursiveMatch], &[], patterns);
    assert_eq!(
        lines(&["*Broccoli"]),
        "Vegetable/Broccoli (HasNoChildren Subscribed)"
    );
    assert_eq!(
        lines(&["Fruit"]),
        "Fruit (HasChildren) CHILDINFO(SUBSCRIBED)"
    );
    assert_eq!(
        lines(&["Fruit", "Fruit/Banana"]),
        "Fruit/Banana (HasNoChildren Subscribed)"
    );
}
