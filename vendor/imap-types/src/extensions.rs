//! IMAP extensions.

pub mod binary;
pub mod compress;
#[cfg(feature = "ext_condstore_qresync")]
pub mod condstore_qresync;
pub mod enable;
// santemail patch: ESEARCH (RFC 4731).
#[cfg(feature = "ext_esearch")]
pub mod esearch;
pub mod idle;
#[cfg(feature = "ext_list_extended")]
pub mod list_extended;
#[cfg(feature = "ext_metadata")]
pub mod metadata;
pub mod r#move;
#[cfg(feature = "ext_namespace")]
pub mod namespace;
pub mod quota;
pub mod sort;
pub mod thread;
pub mod uidplus;
pub mod unselect;
#[cfg(feature = "ext_utf8")]
pub mod utf8;
