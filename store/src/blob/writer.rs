//! Streaming blob writer: hashes while it writes chunks to a temp file, so a large message or
//! archive never sits whole in memory.

use std::fs::{self, File};
use std::io::Write;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::{
    BlobId, BlobStore, TEMP_DIR, blocking, create_dirs_durable, io_err, parent, sync_dir, temp_name,
};
use crate::StoreError;

/// Writes one blob chunk by chunk; [`BlobWriter::finish`] makes it durable and gives its id.
/// Dropped without `finish`, it removes its temp file.
pub struct BlobWriter {
    store: BlobStore,
    tmp: PathBuf,
    state: Option<State>,
}

struct State {
    file: File,
    hasher: Sha256,
    size: u64,
}

impl std::fmt::Debug for BlobWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobWriter")
            .field("tmp", &self.tmp)
            .finish_non_exhaustive()
    }
}

impl BlobWriter {
    pub(super) async fn create(store: BlobStore) -> Result<BlobWriter, StoreError> {
        // The hash is unknown until the end, so the temp file lives in `<root>/tmp` (same file
        // system as the final place, so the rename is atomic).
        let tmp = store.root.join(TEMP_DIR).join(temp_name());
        let path = tmp.clone();
        let file = blocking(move || {
            create_dirs_durable(parent(&path)?)?;
            File::create(&path).map_err(io_err(&path))
        })
        .await?;
        Ok(BlobWriter {
            store,
            tmp,
            state: Some(State {
                file,
                hasher: Sha256::new(),
                size: 0,
            }),
        })
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.state.as_ref().map(|s| s.size).unwrap_or(0)
    }

    /// Appends a chunk.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), StoreError> {
        let mut state = self.take_state()?;
        let chunk = chunk.to_vec();
        let tmp = self.tmp.clone();
        let state = blocking(move || {
            state.file.write_all(&chunk).map_err(io_err(&tmp))?;
            state.hasher.update(&chunk);
            state.size += chunk.len() as u64;
            Ok(state)
        })
        .await?;
        self.state = Some(state);
        Ok(())
    }

    /// fsyncs the content, renames it to `<root>/ab/cd/<hash>` and fsyncs that folder. Returns the
    /// id and the size. If the blob already existed, the temp file is removed and the existing one
    /// kept.
    pub async fn finish(mut self) -> Result<(BlobId, u64), StoreError> {
        let state = self.take_state()?;
        let tmp = self.tmp.clone();
        let store = self.store.clone();
        blocking(move || {
            let State { file, hasher, size } = state;
            file.sync_all().map_err(io_err(&tmp))?;
            drop(file);
            let id = BlobId::from_hasher(hasher);
            let path = store.path(&id);
            let dir = parent(&path)?;
            create_dirs_durable(dir)?;
            if path.is_file() {
                fs::remove_file(&tmp).map_err(io_err(&tmp))?;
            } else {
                fs::rename(&tmp, &path).map_err(io_err(&path))?;
            }
            sync_dir(dir)?;
            Ok((id, size))
        })
        .await
    }

    fn take_state(&mut self) -> Result<State, StoreError> {
        self.state
            .take()
            .ok_or_else(|| StoreError::Invalid("blob writer used after a failed write".to_string()))
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        // Not finished (error or abandoned): the temp file has no use. After `finish` it was
        // renamed or removed, and this fails harmlessly.
        if self.state.is_some() || self.tmp.exists() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}
