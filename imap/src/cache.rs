//! What FETCH and SEARCH derive from a message's bytes, kept in memory per blob.
//!
//! Blobs are content-addressed and immutable (`store::BlobId` is the SHA-256 of the bytes), so
//! anything computed from the bytes alone (the top-level header block, ENVELOPE, BODY,
//! BODYSTRUCTURE) is valid for as long as it is kept: no invalidation, only a memory bound.
//! Header SEARCH and the header FETCHes of a mail client then read no file and parse no MIME
//! tree. Flags, sizes and dates come from the rows and are never cached here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use imap_codec::imap_types::fetch::MessageDataItem;
use store::BlobId;

/// Kept for one blob.
#[derive(Default, Clone)]
pub struct Cached {
    /// The top-level header block, up to and including the empty line.
    pub header: Option<Arc<[u8]>>,
    pub envelope: Option<MessageDataItem<'static>>,
    pub body: Option<MessageDataItem<'static>>,
    pub bodystructure: Option<MessageDataItem<'static>>,
}

impl Cached {
    fn cost(&self) -> usize {
        // Rough: the header bytes, plus a flat estimate per parsed item.
        let items = [&self.envelope, &self.body, &self.bodystructure]
            .iter()
            .filter(|i| i.is_some())
            .count();
        96 + self.header.as_ref().map_or(0, |h| h.len()) + items * 768
    }
}

/// A bounded map from blob to what was derived from it. When full it is emptied at once
/// (cheap, and the working set of active mailboxes refills it quickly).
pub struct ContentCache {
    inner: Mutex<Inner>,
    max_bytes: usize,
}

#[derive(Default)]
struct Inner {
    map: HashMap<BlobId, Cached>,
    bytes: usize,
}

/// Default bound of the process-wide cache.
pub const DEFAULT_MAX_BYTES: usize = 32 << 20;

impl ContentCache {
    pub fn new(max_bytes: usize) -> ContentCache {
        ContentCache {
            inner: Mutex::new(Inner::default()),
            max_bytes,
        }
    }

    /// What is known of `id` (a clone: the lock is not held while it is used).
    pub fn get(&self, id: &BlobId) -> Option<Cached> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.map.get(id).cloned()
    }

    /// Only the header block of `id`.
    pub fn header(&self, id: &BlobId) -> Option<Arc<[u8]>> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.map.get(id).and_then(|c| c.header.clone())
    }

    /// Merges what was computed for `id` into its entry.
    pub fn merge(&self, id: &BlobId, add: Cached) {
        if self.max_bytes == 0 {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let entry = inner.map.entry(id.clone()).or_default();
        let before = entry.cost();
        if add.header.is_some() {
            entry.header = add.header;
        }
        if add.envelope.is_some() {
            entry.envelope = add.envelope;
        }
        if add.body.is_some() {
            entry.body = add.body;
        }
        if add.bodystructure.is_some() {
            entry.bodystructure = add.bodystructure;
        }
        let after = entry.cost();
        inner.bytes = inner.bytes + after - before.min(after);
        if inner.bytes > self.max_bytes {
            inner.map = HashMap::new();
            inner.bytes = 0;
        }
    }
}

impl Default for ContentCache {
    /// `DEFAULT_MAX_BYTES`, or `SANTEMAIL_IMAP_CACHE_BYTES` when set (0 turns it off, for
    /// measurements).
    fn default() -> Self {
        let max = std::env::var("SANTEMAIL_IMAP_CACHE_BYTES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(DEFAULT_MAX_BYTES);
        ContentCache::new(max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::testkit::{items, meta};
    use crate::fetch::{MessageView, fetch_items, header_block};

    /// Header items answer the same from the cached header block as from the whole message,
    /// for every sample message (LF-only, 8-bit, no body, nested…).
    #[test]
    fn header_block_answers_like_the_message() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/fetch/testdata");
        let wanted = items(
            "(ENVELOPE RFC822.HEADER BODY.PEEK[HEADER] \
             BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE CONTENT-TYPE)] \
             BODY.PEEK[HEADER.FIELDS.NOT (TO)] BODY.PEEK[HEADER]<0.20>)",
        );
        let mut n = 0;
        for entry in std::fs::read_dir(dir).expect("testdata") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "eml") {
                continue;
            }
            let raw = std::fs::read(&path).expect("read");
            let m = meta(1, &raw, &[], 1_700_000_000);
            let view = |bytes: &[u8]| {
                fetch_items(
                    &MessageView {
                        seq: 1,
                        meta: &m,
                        raw: bytes,
                        recent: false,
                    },
                    &wanted,
                )
                .expect("fetch")
            };
            assert_eq!(view(header_block(&raw)), view(&raw), "{}", path.display());
            n += 1;
        }
        assert!(n > 3);
    }

    #[test]
    fn merge_and_bound() {
        let cache = ContentCache::new(2000);
        let a = BlobId::of(b"a");
        cache.merge(
            &a,
            Cached {
                header: Some(Arc::from(&b"Subject: x\r\n\r\n"[..])),
                ..Cached::default()
            },
        );
        assert!(cache.header(&a).is_some());
        assert!(cache.get(&a).is_some_and(|c| c.envelope.is_none()));
        // Past the bound everything is dropped (and computed again on the next use).
        let big: Arc<[u8]> = vec![b'x'; 4000].into();
        cache.merge(
            &BlobId::of(b"b"),
            Cached {
                header: Some(big),
                ..Cached::default()
            },
        );
        assert!(cache.get(&a).is_none());
        let off = ContentCache::new(0);
        off.merge(&a, Cached::default());
        assert!(off.get(&a).is_none());
    }
}
