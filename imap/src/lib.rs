//! `imap`: the IMAP server for professionals and organisations (993 implicit TLS, 143 STARTTLS),
//! on `imap-codec` + `imap-next`. See `docs/imap-plan.md`.

pub mod fetch;
pub mod mutf7;
pub mod search;
