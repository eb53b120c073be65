//! Test helpers shared by the fetch and search tests: build a view, parse a FETCH item list
//! with imap-codec, encode the answer as the server would send it.

use imap_codec::CommandCodec;
use imap_codec::ResponseCodec;
use imap_codec::decode::Decoder;
use imap_codec::encode::Encoder;
use imap_codec::imap_types::command::CommandBody;
use imap_codec::imap_types::core::Vec1;
use imap_codec::imap_types::fetch::{MacroOrMessageDataItemNames, MessageDataItemName};
use imap_codec::imap_types::response::{Data, Response};
use store::blob::BlobId;
use store::flags::Flags;
use store::message::MessageMeta;

pub fn meta(uid: u32, raw: &[u8], flags: &[&str], internal_date: i64) -> MessageMeta {
    MessageMeta {
        uid,
        modseq: u64::from(uid) + 100,
        flags: Flags::parse(flags).unwrap_or_default(),
        blob: BlobId::of(raw),
        size: raw.len() as u64,
        internal_date,
    }
}

/// Parses `items` as in `FETCH 1 <items>` and expands macros.
pub fn items(items: &str) -> Vec<MessageDataItemName<'static>> {
    let line = format!("t FETCH 1 {items}\r\n");
    let bytes: &'static [u8] = Box::leak(line.into_bytes().into_boxed_slice());
    let (_, cmd) = CommandCodec::default()
        .decode(bytes)
        .unwrap_or_else(|e| panic!("bad FETCH items {items}: {e:?}"));
    match cmd.body {
        CommandBody::Fetch {
            macro_or_item_names,
            ..
        } => match macro_or_item_names {
            MacroOrMessageDataItemNames::Macro(m) => Box::leak(Box::new(m)).expand(),
            MacroOrMessageDataItemNames::MessageDataItemNames(v) => v,
        },
        other => panic!("not a FETCH: {other:?}"),
    }
}

/// Runs FETCH on `raw` and returns the untagged response as sent on the wire.
pub fn fetch_wire(raw: &[u8], items_text: &str) -> String {
    String::from_utf8_lossy(&fetch_wire_bytes(raw, items_text)).into_owned()
}

/// Same, as bytes (8-bit content kept).
pub fn fetch_wire_bytes(raw: &[u8], items_text: &str) -> Vec<u8> {
    let meta = meta(1, raw, &[], 1_700_000_000);
    let view = crate::fetch::MessageView {
        seq: 1,
        meta: &meta,
        raw,
        recent: false,
    };
    let out = crate::fetch::fetch_items(&view, &items(items_text)).expect("fetch");
    let resp = Response::Data(Data::Fetch {
        seq: std::num::NonZeroU32::MIN,
        items: Vec1::try_from(out).expect("items"),
    });
    ResponseCodec::default().encode(&resp).dump()
}
