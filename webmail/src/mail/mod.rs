//! The mail side of the webmail (issue 6, "Mail"): folders and list pages over the store's
//! summaries ([`listing`]), one message as a safe view model ([`view`], [`sanitize`]),
//! attachments ([`attachments`]), the mbox export used before closing an account ([`export`]),
//! and sending through the one delivery pipeline ([`send`]).

pub mod attachments;
pub mod bench;
pub mod export;
pub mod format;
pub mod listing;
pub mod sanitize;
pub mod send;
pub mod view;
