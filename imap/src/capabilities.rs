//! What the server announces, per connection state (RFC 9051 §7.2.2). Only what is implemented:
//! ESEARCH (RFC 4731), LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819) and SEARCHRES (RFC 5182)
//! are parsed by the patched imap-codec (vendor/README.md).
//!
//! IMAP4rev2 (RFC 9051) is offered next to IMAP4rev1 and taken with `ENABLE IMAP4rev2`
//! (§6.3.1, `commands/enable.rs`). What it folds in (Appendix E) is here too, announced for
//! IMAP4rev1 clients: NAMESPACE, UNSELECT, UIDPLUS, ESEARCH, SEARCHRES, ENABLE, IDLE, SASL-IR,
//! LIST-EXTENDED, LIST-STATUS, MOVE, LITERAL- (implied by LITERAL+, RFC 7888 §5), SPECIAL-USE,
//! BINARY (RFC 3516) and STATUS=SIZE (RFC 8438).

use imap_next::imap_types::auth::AuthMechanism;
use imap_next::imap_types::core::{Atom, Vec1};
use imap_next::imap_types::extensions::thread::ThreadingAlgorithm;
use imap_next::imap_types::response::Capability;

fn atom(s: &'static str) -> Capability<'static> {
    match Atom::try_from(s) {
        Ok(a) => Capability::from(a),
        Err(_) => Capability::Imap4Rev1,
    }
}

/// Before TLS on port 143: only STARTTLS leads anywhere (RFC 9051 §6.2.1, LOGINDISABLED). Both
/// protocol versions are named, as in the §6.2.1 example: both are there after STARTTLS.
pub fn plaintext() -> Vec1<Capability<'static>> {
    Vec1::unvalidated(vec![
        Capability::Imap4Rev1,
        atom("IMAP4rev2"),
        Capability::StartTls,
        Capability::LoginDisabled,
        Capability::Id,
    ])
}

/// Over TLS. `authenticated` drops the AUTH= mechanisms (RFC 9051 §6.2.2: a client must not
/// authenticate twice) and adds the extensions of the authenticated state.
pub fn over_tls(authenticated: bool, append_limit: u32) -> Vec1<Capability<'static>> {
    let mut caps = vec![
        Capability::Imap4Rev1,
        atom("IMAP4rev2"),
        Capability::LiteralPlus,
        Capability::SaslIr,
        Capability::Id,
        Capability::Enable,
        Capability::Idle,
    ];
    if !authenticated {
        caps.push(Capability::Auth(AuthMechanism::Plain));
        if let Ok(a) = Atom::try_from("EXTERNAL") {
            caps.push(Capability::Auth(AuthMechanism::from(a)));
        }
        return Vec1::unvalidated(caps);
    }
    caps.extend([
        Capability::Namespace,
        Capability::Unselect,
        Capability::UidPlus,
        Capability::Move,
        atom("CHILDREN"),
        atom("SPECIAL-USE"),
        atom("ESEARCH"),
        atom("LIST-EXTENDED"),
        atom("LIST-STATUS"),
        atom("SEARCHRES"),
        atom("BINARY"),
        Capability::StatusSize,
        Capability::CondStore,
        Capability::QResync,
        Capability::Sort(None),
        Capability::Thread(ThreadingAlgorithm::References),
    ]);
    if let Ok(a) = Atom::try_from(format!("APPENDLIMIT={append_limit}")) {
        caps.push(Capability::from(a));
    }
    Vec1::unvalidated(caps)
}
