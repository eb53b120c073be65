//! `smtp`: the SMTP server of the space of trust — the MTA for other operators (port 25) and
//! submission for professionals, organisations and applications (587 STARTTLS, 465 implicit TLS)
//! — and the delivery pipeline every path uses.
//!
//! Layout: `listener.rs` accepts and sets up TLS, `session.rs` drives one connection, and
//! `inbound/<command>.rs` holds each command's `handle_<command>`. `pipeline.rs` is the one
//! delivery path (policy, durability, permits).

pub mod inbound;
pub mod listener;
pub mod outbound;
pub mod pipeline;
pub mod reply;
pub mod session;
pub mod settings;

pub use pipeline::{LocalDomains, Pipeline};
pub use reply::Reply;
pub use session::SessionShared;
pub use settings::{ListenerKind, SmtpSettings};
