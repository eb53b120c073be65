//! Content-addressed blob store: message bodies and archives as immutable files named by their
//! SHA-256, under `<root>/ab/cd/<hash>`.
//!
//! DESIGN §5, "nothing is acknowledged before it is durable": a blob is written to a temp file,
//! fsynced, renamed into place, and its folder fsynced (with every folder created on the way),
//! before any row referring to it is committed. Writing the same content twice is a no-op.
//! The blocking file work runs on `spawn_blocking`.

mod writer;

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

pub use writer::BlobWriter;

use crate::StoreError;

/// The SHA-256 of a blob's content, 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobId(String);

impl BlobId {
    /// Checks that `s` is a SHA-256 in lowercase hex (uppercase is accepted and lowered).
    pub fn parse(s: &str) -> Result<BlobId, StoreError> {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(BlobId(s.to_ascii_lowercase()))
        } else {
            Err(StoreError::Invalid(format!(
                "`{s}` is not a blob id (64 hex digits of SHA-256)"
            )))
        }
    }

    /// The id of `content`.
    pub fn of(content: &[u8]) -> BlobId {
        BlobId(hex::encode(Sha256::digest(content)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_hasher(hasher: Sha256) -> BlobId {
        BlobId(hex::encode(hasher.finalize()))
    }
}

impl std::fmt::Display for BlobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A blob store rooted at a folder (local disk, or a shared folder for several nodes).
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Name of the folder for the temp files of [`BlobWriter`] (the hash is not known yet).
const TEMP_DIR: &str = "tmp";
const TEMP_PREFIX: &str = ".tmp-";

impl BlobStore {
    /// Opens (creating if needed, durably) the store at `root`.
    pub async fn open(root: impl Into<PathBuf>) -> Result<BlobStore, StoreError> {
        let root = root.into();
        let store = BlobStore { root };
        let r = store.root.clone();
        blocking(move || {
            create_dirs_durable(&r)?;
            create_dirs_durable(&r.join(TEMP_DIR))
        })
        .await?;
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the blob lives: `<root>/ab/cd/<hash>`.
    pub fn path(&self, id: &BlobId) -> PathBuf {
        let h = id.as_str();
        self.root.join(&h[0..2]).join(&h[2..4]).join(h)
    }

    /// Writes `content` durably and returns its id. Idempotent: an existing blob is left as is.
    pub async fn put(&self, content: Vec<u8>) -> Result<BlobId, StoreError> {
        let id = BlobId::of(&content);
        let path = self.path(&id);
        blocking(move || {
            let dir = parent(&path)?;
            if path.is_file() {
                // Possibly renamed by a concurrent writer that has not fsynced the folder yet:
                // make the entry durable ourselves before the caller commits rows that use it.
                return sync_dir(dir);
            }
            create_dirs_durable(dir)?;
            let tmp = dir.join(temp_name());
            let result = (|| {
                let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
                f.write_all(&content).map_err(io_err(&tmp))?;
                f.sync_all().map_err(io_err(&tmp))?;
                drop(f);
                fs::rename(&tmp, &path).map_err(io_err(&path))?;
                sync_dir(dir)
            })();
            if result.is_err() {
                let _ = fs::remove_file(&tmp);
            }
            result
        })
        .await?;
        Ok(id)
    }

    /// Reads several whole blobs in one blocking task (one hop to the blocking pool for a batch
    /// instead of one per message), in the order given.
    pub async fn get_many(&self, ids: &[BlobId]) -> Result<Vec<Vec<u8>>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let paths: Vec<(PathBuf, BlobId)> =
            ids.iter().map(|id| (self.path(id), id.clone())).collect();
        blocking(move || {
            paths
                .into_iter()
                .map(|(path, id)| match fs::read(&path) {
                    Ok(bytes) => Ok(bytes),
                    Err(e) if e.kind() == ErrorKind::NotFound => Err(StoreError::BlobMissing(id.0)),
                    Err(e) => Err(io_err(&path)(e)),
                })
                .collect()
        })
        .await
    }

    /// A writer for content too large to hold in memory; see [`BlobWriter`].
    pub async fn writer(&self) -> Result<BlobWriter, StoreError> {
        BlobWriter::create(self.clone()).await
    }

    /// Reads a whole blob.
    pub async fn get(&self, id: &BlobId) -> Result<Vec<u8>, StoreError> {
        let path = self.path(id);
        let id = id.clone();
        blocking(move || match fs::read(&path) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(StoreError::BlobMissing(id.0)),
            Err(e) => Err(io_err(&path)(e)),
        })
        .await
    }

    /// Reads a whole blob and checks that it still hashes to its id (detects disk corruption).
    pub async fn get_verified(&self, id: &BlobId) -> Result<Vec<u8>, StoreError> {
        let bytes = self.get(id).await?;
        let actual = BlobId::of(&bytes);
        if &actual != id {
            return Err(StoreError::BlobCorrupt {
                id: id.0.clone(),
                actual: actual.0,
            });
        }
        Ok(bytes)
    }

    /// Opens a blob for streaming reads.
    pub async fn open_read(&self, id: &BlobId) -> Result<tokio::fs::File, StoreError> {
        let path = self.path(id);
        match tokio::fs::File::open(&path).await {
            Ok(f) => Ok(f),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(StoreError::BlobMissing(id.0.clone())),
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    /// Size in bytes of a stored blob.
    pub async fn size(&self, id: &BlobId) -> Result<u64, StoreError> {
        let path = self.path(id);
        match tokio::fs::metadata(&path).await {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(StoreError::BlobMissing(id.0.clone())),
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    pub async fn exists(&self, id: &BlobId) -> Result<bool, StoreError> {
        Ok(tokio::fs::try_exists(self.path(id)).await.unwrap_or(false))
    }

    /// Removes temp files left by a crash (older than `max_age`); returns how many were removed.
    pub async fn clean_temp_files(
        &self,
        max_age: std::time::Duration,
    ) -> Result<usize, StoreError> {
        let root = self.root.clone();
        blocking(move || {
            let mut removed = 0;
            let mut stack = vec![root];
            while let Some(dir) = stack.pop() {
                let entries = fs::read_dir(&dir).map_err(io_err(&dir))?;
                for entry in entries.flatten() {
                    let path = entry.path();
                    let Ok(meta) = entry.metadata() else { continue };
                    if meta.is_dir() {
                        stack.push(path);
                    } else if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                        let old = meta
                            .modified()
                            .ok()
                            .and_then(|m| m.elapsed().ok())
                            .is_some_and(|age| age >= max_age);
                        if old && fs::remove_file(&path).is_ok() {
                            removed += 1;
                        }
                    }
                }
            }
            Ok(removed)
        })
        .await
    }
}

fn temp_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{TEMP_PREFIX}{}-{}-{nanos}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn parent(path: &Path) -> Result<&Path, StoreError> {
    path.parent()
        .ok_or_else(|| StoreError::Invalid(format!("{} has no parent", path.display())))
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::BlobIo {
        path: path.display().to_string(),
        source,
    }
}

/// fsync of a directory makes the entries created or renamed in it durable (POSIX: rename and
/// create are metadata of the parent directory).
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

/// `mkdir -p` that fsyncs the parent of every folder it creates, so the path survives a crash.
fn create_dirs_durable(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(p) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dirs_durable(p)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => {}
        // Another writer created it: it fsyncs the parent itself, but do it too before relying on it.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io_err(dir)(e)),
    }
    match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => sync_dir(p),
        None => Ok(()),
    }
}

async fn blocking<T, F>(f: F) -> Result<T, StoreError>
where
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Invalid(format!("blob store task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(BlobId::of(b"abc").as_str(), abc);
        assert_eq!(BlobId::parse(&abc.to_uppercase()).unwrap().as_str(), abc);
        for bad in ["", "abc", &abc[1..], &format!("{}g", &abc[1..])] {
            assert!(BlobId::parse(bad).is_err(), "{bad}");
        }
        let store = BlobStore {
            root: PathBuf::from("/r"),
        };
        let id = BlobId::parse(abc).unwrap();
        assert_eq!(store.path(&id), PathBuf::from(format!("/r/ba/78/{abc}")));
    }
}
