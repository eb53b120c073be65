//! SEARCH / UID SEARCH (RFC 9051 §6.4.4) with ESEARCH `RETURN (…)` (RFC 4731, answer shaped in
//! `esearch.rs`), SEARCHRES `RETURN (SAVE)` and `$` (RFC 5182, `searchres.rs`), the IMAP4rev2
//! ESEARCH-only answers (RFC 9051 §7.3.4), SORT and THREAD=REFERENCES (RFC 5256). Matching,
//! ordering and threading are `crate::search`'s; this file loads the messages (bodies only when
//! a key needs them) and answers with sequence numbers or UIDs.

use std::num::{NonZeroU32, NonZeroU64};

use imap_next::imap_types::core::{Charset, Tag, Vec1};
use imap_next::imap_types::extensions::esearch::SearchReturnOption;
use imap_next::imap_types::extensions::sort::SortCriterion;
use imap_next::imap_types::extensions::thread::ThreadingAlgorithm;
use imap_next::imap_types::response::{Code, Data};
use imap_next::imap_types::search::SearchKey;

use super::esearch;
use super::searchres;
use crate::cache::Cached;
use crate::fetch::{MessageView, header_block};
use crate::respond;
use crate::search::{
    SearchContext, SearchError, key_needs_full, matches_all, sort, thread_references,
};
use crate::session::{Conn, Flow, Session, SessionError};

const CHUNK: usize = 200;
/// Whole messages read per blocking task (bounds the memory of a BODY/TEXT search).
const READ_GROUP: usize = 32;

/// A message's bytes for matching: read now, or the header block from the cache.
enum RawBytes {
    Owned(Vec<u8>),
    Shared(std::sync::Arc<[u8]>),
}

impl AsRef<[u8]> for RawBytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            RawBytes::Owned(v) => v,
            RawBytes::Shared(s) => s,
        }
    }
}

/// Whether a key reads the message (headers, text, Date:) rather than the row.
fn needs_body(key: &SearchKey<'_>) -> bool {
    match key {
        SearchKey::And(keys) => keys.as_ref().iter().any(needs_body),
        SearchKey::Not(k) => needs_body(k),
        SearchKey::Or(a, b) => needs_body(a) || needs_body(b),
        SearchKey::Bcc(_)
        | SearchKey::Body(_)
        | SearchKey::Cc(_)
        | SearchKey::From(_)
        | SearchKey::Header(..)
        | SearchKey::SentBefore(_)
        | SearchKey::SentOn(_)
        | SearchKey::SentSince(_)
        | SearchKey::Subject(_)
        | SearchKey::Text(_)
        | SearchKey::To(_) => true,
        _ => false,
    }
}

pub(super) fn uses_modseq(key: &SearchKey<'_>) -> bool {
    match key {
        SearchKey::And(keys) => keys.as_ref().iter().any(uses_modseq),
        SearchKey::Not(k) => uses_modseq(k),
        SearchKey::Or(a, b) => uses_modseq(a) || uses_modseq(b),
        SearchKey::ModSequence { .. } => true,
        _ => false,
    }
}

/// CHARSET: UTF-8 and US-ASCII (its subset) only (RFC 9051 §6.4.4).
fn charset_ok(charset: Option<&Charset<'_>>) -> bool {
    charset.is_none_or(|c| {
        let c: &str = c.as_ref();
        c.eq_ignore_ascii_case("UTF-8") || c.eq_ignore_ascii_case("US-ASCII")
    })
}

/// A matched message: its row and bytes (bytes only when loaded).
struct Hit {
    seq: u32,
    meta: store::MessageMeta,
    raw: Vec<u8>,
}

enum Outcome {
    Hits(Vec<Hit>),
    Refused,
}

impl Session {
    /// Messages of the selected mailbox matching every key. `keep_body`: keep the bytes for
    /// SORT/THREAD. A refusal has already been answered; with `save` (RETURN (SAVE)) it says
    /// NOTSAVED where no other code is due (RFC 5182 §2.1, RFC 9051 §7.1).
    async fn run_search(
        &mut self,
        conn: &mut Conn,
        tag: &Tag<'static>,
        charset: Option<&Charset<'_>>,
        criteria: &[SearchKey<'static>],
        keep_body: bool,
        save: bool,
    ) -> Result<Outcome, SessionError> {
        if !charset_ok(charset) {
            let allowed = ["UTF-8", "US-ASCII"]
                .into_iter()
                .filter_map(|c| {
                    imap_next::imap_types::core::Atom::try_from(c)
                        .ok()
                        .map(Charset::Atom)
                })
                .collect();
            conn.status(respond::no(
                tag,
                Some(Code::BadCharset { allowed }),
                "Unsupported charset",
            ));
            return Ok(Outcome::Refused);
        }
        let viewer = self.login().to_string();
        let shared = self.shared.clone();
        let Some(sel) = self.selected.as_mut() else {
            return Ok(Outcome::Refused);
        };
        // `$` stands for the saved result (RFC 5182 §2.1), as it is before this command.
        let criteria = searchres::substitute(criteria, sel);
        let criteria: &[SearchKey<'static>] = &criteria;
        let ctx = SearchContext {
            max_seq: sel.exists(),
            max_uid: sel.max_uid(),
        };
        let body = keep_body || criteria.iter().any(needs_body);
        // Header keys only need the header block, which the content cache keeps per blob;
        // BODY/TEXT and SORT/THREAD need the whole message.
        let full = keep_body || criteria.iter().any(key_needs_full);
        let mut hits = Vec::new();
        let uids = sel.uids.clone();
        for chunk in uids.chunks(CHUNK) {
            // The kept rows of the mailbox when it has not changed (`selected/rows.rs`).
            let metas = crate::selected::metas_of(&shared.db, sel, &viewer, chunk).await?;
            for group in metas.chunks(if full { READ_GROUP } else { CHUNK }) {
                let mut raws: Vec<Option<RawBytes>> = group
                    .iter()
                    .map(|m| {
                        (body && !full)
                            .then(|| shared.cache.header(&m.blob).map(RawBytes::Shared))
                            .flatten()
                    })
                    .collect();
                let missing: Vec<store::BlobId> = group
                    .iter()
                    .zip(&raws)
                    .filter(|(_, r)| body && r.is_none())
                    .map(|(m, _)| m.blob.clone())
                    .collect();
                let mut read = shared.blobs.get_many(&missing).await?.into_iter();
                for (meta, slot) in group.iter().zip(raws.iter_mut()) {
                    if body
                        && slot.is_none()
                        && let Some(bytes) = read.next()
                    {
                        let block: std::sync::Arc<[u8]> = header_block(&bytes).into();
                        shared.cache.merge(
                            &meta.blob,
                            Cached {
                                header: Some(block.clone()),
                                ..Cached::default()
                            },
                        );
                        *slot = Some(if full {
                            RawBytes::Owned(bytes)
                        } else {
                            RawBytes::Shared(block)
                        });
                    }
                }
                for (meta, raw) in group.iter().zip(raws) {
                    let Some(seq) = sel.seq_of(meta.uid) else {
                        continue;
                    };
                    let bytes: &[u8] = raw.as_ref().map_or(&[], |r| r.as_ref());
                    let view = MessageView {
                        seq,
                        meta,
                        raw: bytes,
                        recent: sel.recent.contains(meta.uid),
                    };
                    match matches_all(criteria, &view, &ctx) {
                        Ok(true) => {
                            let raw = match raw {
                                Some(RawBytes::Owned(v)) if keep_body => v,
                                _ => Vec::new(),
                            };
                            hits.push(Hit {
                                seq,
                                meta: meta.clone(),
                                raw,
                            });
                        }
                        Ok(false) => {}
                        Err(SearchError::BadCharset) => {
                            let code = save.then(|| respond::code("NOTSAVED"));
                            conn.status(respond::no(tag, code, "Unsupported charset"));
                            return Ok(Outcome::Refused);
                        }
                    }
                }
            }
        }
        Ok(Outcome::Hits(hits))
    }

    /// `return_options`: `Some` for `SEARCH RETURN (…)`, answered with ESEARCH (RFC 4731), as
    /// is every SEARCH once IMAP4rev2 is enabled (RFC 9051 §6.4.4: no RETURN means ALL). SAVE
    /// keeps the result for `$` (RFC 5182) and, alone, sends no ESEARCH.
    pub(crate) async fn handle_search(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        charset: Option<Charset<'static>>,
        criteria: Vec1<SearchKey<'static>>,
        uid: bool,
        return_options: Option<Vec<SearchReturnOption>>,
    ) -> Result<Flow, SessionError> {
        let save = return_options
            .as_ref()
            .is_some_and(|o| o.contains(&SearchReturnOption::Save));
        let criteria = criteria.into_inner();
        let Outcome::Hits(hits) = self
            .run_search(conn, &tag, charset.as_ref(), &criteria, false, save)
            .await?
        else {
            // RFC 5182 §2.1: a SEARCH RETURN (SAVE) that fails leaves `$` empty.
            if save && let Some(sel) = self.selected.as_mut() {
                sel.saved.clear();
            }
            return Ok(Flow::Continue);
        };
        let with_modseq = criteria.iter().any(uses_modseq);
        let options = return_options.or_else(|| self.rev2.then(Vec::new));
        if let Some(options) = options {
            if save {
                let by_uid: Vec<esearch::Match> = hits
                    .iter()
                    .map(|h| esearch::Match {
                        id: h.meta.uid,
                        modseq: h.meta.modseq,
                    })
                    .collect();
                let saved = searchres::saved_uids(&options, &by_uid);
                if let Some(sel) = self.selected.as_mut() {
                    sel.saved = saved;
                }
            }
            if !searchres::save_only(&options) {
                let shown: Vec<SearchReturnOption> = options
                    .iter()
                    .filter(|o| **o != SearchReturnOption::Save)
                    .cloned()
                    .collect();
                let matches: Vec<esearch::Match> = hits
                    .iter()
                    .map(|h| esearch::Match {
                        id: if uid { h.meta.uid } else { h.seq },
                        modseq: h.meta.modseq,
                    })
                    .collect();
                conn.data(esearch::response(&tag, uid, &shown, &matches, with_modseq));
            }
        } else {
            let ids: Vec<NonZeroU32> = hits
                .iter()
                .filter_map(|h| NonZeroU32::new(if uid { h.meta.uid } else { h.seq }))
                .collect();
            // RFC 7162 §3.1.5: a search with MODSEQ reports the highest MODSEQ of the matches.
            let modseq = if with_modseq {
                hits.iter()
                    .map(|h| h.meta.modseq)
                    .max()
                    .and_then(NonZeroU64::new)
            } else {
                None
            };
            conn.data(Data::Search(ids, modseq));
        }
        let text = if uid {
            "UID SEARCH completed"
        } else {
            "SEARCH completed"
        };
        // RFC 5530 §3 EXPUNGEISSUED: messages another session expunged still have numbers
        // here but match nothing any more; the code tells the client why they are missing
        // (imaptest then does not count them as lost matches).
        self.sync(conn, uid).await?;
        let code = self
            .selected
            .as_ref()
            .filter(|s| !s.pending_expunge.is_empty())
            .map(|_| respond::code("EXPUNGEISSUED"));
        self.finish(conn, &tag, uid, code, text).await
    }

    pub(crate) async fn handle_sort(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        criteria: Vec1<SortCriterion>,
        charset: Charset<'static>,
        search: Vec1<SearchKey<'static>>,
        uid: bool,
    ) -> Result<Flow, SessionError> {
        let search = search.into_inner();
        let Outcome::Hits(hits) = self
            .run_search(conn, &tag, Some(&charset), &search, true, false)
            .await?
        else {
            return Ok(Flow::Continue);
        };
        let recent = self
            .selected
            .as_ref()
            .map(|s| s.recent.clone())
            .unwrap_or_default();
        let views: Vec<MessageView<'_>> = hits
            .iter()
            .map(|h| MessageView {
                seq: h.seq,
                meta: &h.meta,
                raw: &h.raw,
                recent: recent.contains(h.meta.uid),
            })
            .collect();
        let order = sort(criteria.as_ref(), &views);
        let ids: Vec<NonZeroU32> = order
            .into_iter()
            .filter_map(|i| views.get(i))
            .filter_map(|v| NonZeroU32::new(if uid { v.meta.uid } else { v.seq }))
            .collect();
        drop(views);
        conn.data(Data::Sort(ids, None));
        let text = if uid {
            "UID SORT completed"
        } else {
            "SORT completed"
        };
        self.finish(conn, &tag, uid, None, text).await
    }

    pub(crate) async fn handle_thread(
        &mut self,
        conn: &mut Conn,
        tag: Tag<'static>,
        algorithm: ThreadingAlgorithm<'static>,
        charset: Charset<'static>,
        search: Vec1<SearchKey<'static>>,
        uid: bool,
    ) -> Result<Flow, SessionError> {
        if algorithm != ThreadingAlgorithm::References {
            conn.status(respond::bad(&tag, "Only THREAD=REFERENCES is supported"));
            return Ok(Flow::Continue);
        }
        let search = search.into_inner();
        let Outcome::Hits(hits) = self
            .run_search(conn, &tag, Some(&charset), &search, true, false)
            .await?
        else {
            return Ok(Flow::Continue);
        };
        let recent = self
            .selected
            .as_ref()
            .map(|s| s.recent.clone())
            .unwrap_or_default();
        let views: Vec<MessageView<'_>> = hits
            .iter()
            .map(|h| MessageView {
                seq: h.seq,
                meta: &h.meta,
                raw: &h.raw,
                recent: recent.contains(h.meta.uid),
            })
            .collect();
        let threads = thread_references(&views, uid);
        drop(views);
        conn.data(Data::Thread(threads));
        let text = if uid {
            "UID THREAD completed"
        } else {
            "THREAD completed"
        };
        self.finish(conn, &tag, uid, None, text).await
    }
}
