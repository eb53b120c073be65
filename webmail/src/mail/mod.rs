//! The mail side of the webmail (issue 6, "Mail"): folders and list pages over the store's
//! summaries ([`listing`]), one message as a safe view model ([`view`], [`sanitize`]),
//! attachments ([`attachments`]), the mbox export used before closing an account ([`export`]),
//! sending through the one delivery pipeline ([`send`]), the live new-mail stream ([`live`]) and
//! the server-side timing used by `santemail bench webmail` ([`bench`]).

pub mod attachments;
pub mod bench;
pub mod export;
pub mod format;
pub mod listing;
pub mod live;
pub mod sanitize;
pub mod send;
pub mod view;
