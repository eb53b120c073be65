//! Filing an XDM package: all of its documents, or none (issue 7).
//!
//! 1. [`safety::inspect`] checks the central directory (paths, counts, sizes, ratio, encryption);
//! 2. every METADATA.XML is read (bounded) and parsed, and its patient must be this citizen;
//! 3. each document streams, through a [`Bounded`] reader, into an unfinished [`BlobWriter`]
//!    (a temp file: dropped on any error, so nothing is left behind);
//! 4. only when every document is staged are the blobs finished (fsync, rename, fsync of the
//!    folder) and the rows inserted in one transaction.
//!
//! Memory stays flat whatever the package size: one 64 KiB buffer at a time.

use std::io::{Read, Seek};

use sha1::{Digest, Sha1};
use store::BlobWriter;
use tokio::runtime::Handle;

use super::read::parse_metadata;
use super::safety::{self, BoundExceeded, Bounded, SafeEntry, XdmLimits};
use super::{XdmMetadata, check_patient, to_meta};
use crate::Dmp;
use crate::document::{self, DocumentMeta, Source};
use crate::error::{DmpError, Result, XdmRejection};

/// A document staged in the blob store's temp folder, not yet durable nor visible.
pub struct Staged {
    pub meta: DocumentMeta,
    pub writer: BlobWriter,
}

/// The result of filing: per document, its id and whether it is new (`false`: the same
/// uniqueId was already in this DMP).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Filed {
    pub ids: Vec<i64>,
    pub new: usize,
    pub already_present: usize,
}

const CHUNK: usize = 64 * 1024;

fn read_error(e: std::io::Error, entry: &SafeEntry) -> XdmRejection {
    if e.get_ref().is_some_and(|inner| inner.is::<BoundExceeded>()) {
        XdmRejection::SizeMismatch(entry.path.clone())
    } else {
        XdmRejection::Malformed(format!("{}: {e}", entry.path))
    }
}

fn find<'a>(entries: &'a [SafeEntry], path: &str) -> Option<&'a SafeEntry> {
    entries.iter().find(|e| e.path.eq_ignore_ascii_case(path))
}

/// Reads and checks the package, and streams its documents into temp blobs. Blocking: run it on
/// `spawn_blocking` (it calls back into the runtime through `handle` for the blob writes).
fn stage<R: Read + Seek>(
    reader: R,
    limits: &XdmLimits,
    patient_ins: &str,
    dmp: &Dmp,
    handle: &Handle,
    source: Source,
) -> Result<Vec<Staged>> {
    let (mut archive, entries) = safety::inspect(reader, limits)?;
    let mut packages: Vec<(String, XdmMetadata)> = Vec::new();
    for e in &entries {
        let parts: Vec<&str> = e.path.split('/').collect();
        let [root, subset, file] = parts[..] else {
            continue;
        };
        if !root.eq_ignore_ascii_case("IHE_XDM") || !file.eq_ignore_ascii_case("METADATA.XML") {
            continue;
        }
        if e.size > limits.max_metadata_bytes {
            return Err(XdmRejection::EntryTooLarge {
                name: e.path.clone(),
                size: e.size,
                limit: limits.max_metadata_bytes,
            }
            .into());
        }
        let f = archive
            .by_index(e.index)
            .map_err(|err| XdmRejection::Malformed(err.to_string()))?;
        let mut bytes = Vec::new();
        Bounded::new(f, e.size, &e.path)
            .read_to_end(&mut bytes)
            .map_err(|err| read_error(err, e))?;
        let xml =
            String::from_utf8(bytes).map_err(|_| XdmRejection::BadMetadata("not UTF-8".into()))?;
        let meta =
            parse_metadata(&xml).inspect_err(|r| tracing::warn!(reason = %r, "XDM refused"))?;
        packages.push((format!("{root}/{subset}"), meta));
    }
    if packages.is_empty() {
        tracing::warn!("XDM refused: no METADATA.XML");
        return Err(XdmRejection::NoMetadata.into());
    }
    if packages.iter().all(|(_, m)| m.documents.is_empty()) {
        return Err(XdmRejection::Empty.into());
    }
    for (_, m) in &packages {
        check_patient(m, patient_ins)
            .inspect_err(|r| tracing::warn!(reason = %r, "XDM refused: wrong patient"))?;
    }
    let now = store::db::now_unix();
    let mut staged = Vec::new();
    let mut buf = vec![0u8; CHUNK];
    for (dir, m) in &packages {
        for doc in &m.documents {
            let uri = doc.uri.as_deref().unwrap_or_default();
            let path = safety::safe_path(&format!("{dir}/{uri}"))
                .filter(|p| p.starts_with(dir.as_str()) && !uri.is_empty())
                .ok_or_else(|| XdmRejection::PathTraversal(uri.to_string()))?;
            let entry = find(&entries, &path)
                .ok_or_else(|| XdmRejection::MissingDocument(uri.to_string()))?;
            let mut writer = handle.block_on(dmp.blobs().writer())?;
            let f = archive
                .by_index(entry.index)
                .map_err(|err| XdmRejection::Malformed(err.to_string()))?;
            let mut r = Bounded::new(f, entry.size, &entry.path);
            let mut sha1 = Sha1::new();
            loop {
                let n = r.read(&mut buf).map_err(|err| read_error(err, entry))?;
                if n == 0 {
                    break;
                }
                sha1.update(&buf[..n]);
                handle.block_on(writer.write(&buf[..n]))?;
            }
            // XDS gives the SHA-1 and size of each document: a package altered in transit (or
            // a METADATA.XML pointing at the wrong file) is refused.
            let hash_ok = doc
                .hash
                .as_deref()
                .is_none_or(|h| h == hex::encode(sha1.finalize()));
            let size_ok = doc.size.is_none_or(|s| s == writer.size());
            if !hash_ok || !size_ok {
                tracing::warn!(entry = %entry.path, "XDM refused: hash or size mismatch");
                return Err(XdmRejection::HashMismatch(uri.to_string()).into());
            }
            staged.push(Staged {
                meta: to_meta(doc, source, now),
                writer,
            });
        }
    }
    Ok(staged)
}

impl Dmp {
    /// Makes staged documents durable and visible: blobs finished (fsynced) first, then all rows
    /// in one transaction. Returns (id, new) per document.
    pub async fn commit_staged(&self, patient_ins: &str, staged: Vec<Staged>) -> Result<Filed> {
        let mut done = Vec::with_capacity(staged.len());
        for s in staged {
            let (blob, size) = s.writer.finish().await?;
            done.push((s.meta, blob, size));
        }
        let mut tx = self.db().begin_write().await?;
        let mut filed = Filed {
            ids: Vec::new(),
            new: 0,
            already_present: 0,
        };
        for (meta, blob, size) in &done {
            let (id, new) = document::insert(&mut tx, patient_ins, meta, blob, *size).await?;
            filed.ids.push(id);
            if new {
                filed.new += 1;
            } else {
                filed.already_present += 1;
            }
        }
        tx.commit().await.map_err(DmpError::from)?;
        Ok(filed)
    }

    /// Files every document of an XDM package into `patient_ins`'s DMP, or none. The reader is
    /// read on a blocking thread; pass a file (or a `Cursor` over bytes already in memory).
    /// No audit line is written here: the citizen and professional entry points do it.
    pub async fn file_xdm<R>(&self, patient_ins: &str, reader: R, source: Source) -> Result<Filed>
    where
        R: Read + Seek + Send + 'static,
    {
        let dmp = self.clone();
        let ins = patient_ins.to_string();
        let handle = Handle::current();
        let staged = tokio::task::spawn_blocking(move || {
            let limits = *dmp.limits();
            stage(reader, &limits, &ins, &dmp, &handle, source)
        })
        .await
        .map_err(|e| DmpError::Internal(format!("XDM task failed: {e}")))??;
        let filed = self.commit_staged(patient_ins, staged).await?;
        tracing::info!(
            new = filed.new,
            already_present = filed.already_present,
            "XDM package filed"
        );
        Ok(filed)
    }
}
