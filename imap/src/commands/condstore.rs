//! CONDSTORE enabling commands (RFC 7162 §3.1): besides ENABLE CONDSTORE and SELECT/EXAMINE
//! (CONDSTORE), a FETCH of MODSEQ or with CHANGEDSINCE, a SEARCH on MODSEQ, a STORE with
//! UNCHANGEDSINCE and a STATUS of HIGHESTMODSEQ turn CONDSTORE on for the session; issued with a
//! mailbox selected, the server then sends `* OK [HIGHESTMODSEQ n]` for it, and from then on every
//! untagged FETCH carries MODSEQ.

use std::num::NonZeroU64;

use imap_next::imap_types::command::{CommandBody, FetchModifier, StoreModifier};
use imap_next::imap_types::fetch::{MacroOrMessageDataItemNames, MessageDataItemName};
use imap_next::imap_types::response::Code;
use imap_next::imap_types::status::StatusDataItemName;

use super::search::uses_modseq;
use crate::respond;
use crate::session::{Conn, Session};

/// Whether `body` is a CONDSTORE enabling command (other than ENABLE and SELECT, handled there).
pub(super) fn enables_condstore(body: &CommandBody<'_>) -> bool {
    match body {
        CommandBody::Fetch {
            macro_or_item_names,
            modifiers,
            ..
        } => {
            let names = match macro_or_item_names {
                MacroOrMessageDataItemNames::MessageDataItemNames(names) => names.as_slice(),
                MacroOrMessageDataItemNames::Macro(_) => &[],
            };
            names.contains(&MessageDataItemName::ModSeq)
                || modifiers
                    .iter()
                    .any(|m| matches!(m, FetchModifier::ChangedSince(_)))
        }
        CommandBody::Store { modifiers, .. } => modifiers
            .iter()
            .any(|m| matches!(m, StoreModifier::UnchangedSince(_))),
        CommandBody::Search { criteria, .. } => criteria.as_ref().iter().any(uses_modseq),
        CommandBody::Status { item_names, .. } => {
            item_names.contains(&StatusDataItemName::HighestModSeq)
        }
        _ => false,
    }
}

impl Session {
    /// Turns CONDSTORE on if `body` enables it, with the HIGHESTMODSEQ of the selected mailbox.
    pub(super) fn enable_condstore_by(&mut self, conn: &mut Conn, body: &CommandBody<'_>) {
        if self.condstore || !enables_condstore(body) {
            return;
        }
        self.condstore = true;
        if let Some(m) = self
            .selected
            .as_ref()
            .and_then(|s| NonZeroU64::new(s.modseq))
        {
            conn.status(respond::untagged_ok(
                Some(Code::HighestModSeq(m)),
                "CONDSTORE enabled",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use imap_codec::CommandCodec;
    use imap_codec::decode::Decoder;

    use super::*;

    #[test]
    fn enabling_commands() {
        let cases = [
            ("a FETCH 1 (MODSEQ)\r\n", true),
            ("a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5)\r\n", true),
            ("a FETCH 1 (FLAGS UID)\r\n", false),
            ("a FETCH 1 FAST\r\n", false),
            ("a STORE 1 (UNCHANGEDSINCE 3) +FLAGS (\\Seen)\r\n", true),
            ("a STORE 1 +FLAGS (\\Seen)\r\n", false),
            ("a SEARCH NOT MODSEQ 4\r\n", true),
            ("a SEARCH OR SEEN (MODSEQ 4)\r\n", true),
            ("a SEARCH SEEN\r\n", false),
            ("a STATUS INBOX (HIGHESTMODSEQ)\r\n", true),
            ("a STATUS INBOX (MESSAGES)\r\n", false),
            ("a NOOP\r\n", false),
        ];
        for (line, want) in cases {
            let (_, command) = CommandCodec::default()
                .decode(line.as_bytes())
                .unwrap_or_else(|e| panic!("{line}: {e:?}"));
            assert_eq!(enables_condstore(&command.body), want, "{line}");
        }
    }
}
