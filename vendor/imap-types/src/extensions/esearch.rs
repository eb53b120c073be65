//! IMAP4 Extension to SEARCH Command for Controlling What Kind of Information Is Returned
//! (ESEARCH, RFC 4731), with the `SAVE` return option of SEARCHRES (RFC 5182).
//!
//! santemail patch: ESEARCH is not in imap-types 2.0.0-alpha.8 (upstream imap-codec#379).
//!
//! The command side is the `return_options` field of
//! [`CommandBody::Search`](crate::command::CommandBody::Search), the response side is
//! [`Data::ESearch`](crate::response::Data::ESearch).

#[cfg(feature = "arbitrary")]
use arbitrary::Arbitrary;
use bounded_static_derive::ToStatic;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// A `search-return-opt` of `SEARCH RETURN (...)`.
///
/// ```abnf
/// search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
/// search-return-opt  = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE"
/// ```
///
/// See [RFC 4731, section 3.1](https://www.rfc-editor.org/rfc/rfc4731#section-3.1) and
/// [RFC 5182, section 2](https://www.rfc-editor.org/rfc/rfc5182#section-2).
#[cfg_attr(feature = "arbitrary", derive(Arbitrary))]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToStatic)]
pub enum SearchReturnOption {
    /// `MIN`: the lowest message number/UID satisfying the criteria.
    Min,
    /// `MAX`: the highest message number/UID satisfying the criteria.
    Max,
    /// `ALL`: all message numbers/UIDs satisfying the criteria, as a sequence set.
    All,
    /// `COUNT`: the number of messages satisfying the criteria.
    Count,
    /// `SAVE`: save the result for `$` (RFC 5182).
    Save,
}
