//! Blob store: content-addressed files, durable write path, idempotence, no temp files left.

use std::path::Path;

use store::{BlobId, BlobStore, StoreError};

fn temp_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                out.push(p.display().to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn put_writes_the_content_under_its_hash_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::open(dir.path().join("blobs")).await.unwrap();
    let body = b"Subject: hello\r\n\r\nbody\r\n".to_vec();
    let id = store.put(body.clone()).await.unwrap();
    assert_eq!(id, BlobId::of(&body));

    let path = store.path(&id);
    let h = id.as_str();
    assert_eq!(
        path,
        dir.path()
            .join("blobs")
            .join(&h[0..2])
            .join(&h[2..4])
            .join(h)
    );
    assert_eq!(std::fs::read(&path).unwrap(), body);
    assert_eq!(store.size(&id).await.unwrap(), body.len() as u64);
    assert_eq!(store.get_verified(&id).await.unwrap(), body);
    assert!(temp_files(store.root()).is_empty());

    // Idempotent: the same content again leaves the very same file in place.
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(&path).unwrap().ino();
    assert_eq!(store.put(body.clone()).await.unwrap(), id);
    assert_eq!(std::fs::metadata(&path).unwrap().ino(), inode);
    assert!(temp_files(store.root()).is_empty());
}

#[tokio::test]
async fn missing_and_corrupt_blobs_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::open(dir.path()).await.unwrap();
    let absent = BlobId::of(b"never written");
    assert!(matches!(
        store.get(&absent).await,
        Err(StoreError::BlobMissing(_))
    ));
    assert!(!store.exists(&absent).await.unwrap());

    let id = store.put(b"original".to_vec()).await.unwrap();
    std::fs::write(store.path(&id), b"tampered").unwrap();
    assert_eq!(store.get(&id).await.unwrap(), b"tampered");
    match store.get_verified(&id).await {
        Err(StoreError::BlobCorrupt { actual, .. }) => {
            assert_eq!(actual, BlobId::of(b"tampered").as_str())
        }
        other => panic!("expected BlobCorrupt, got {other:?}"),
    }
}

#[tokio::test]
async fn streaming_writer_hashes_and_renames_into_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::open(dir.path()).await.unwrap();
    let chunk: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let mut whole = Vec::new();
    let mut w = store.writer().await.unwrap();
    for _ in 0..5 {
        w.write(&chunk).await.unwrap();
        whole.extend_from_slice(&chunk);
    }
    assert_eq!(w.size(), 500_000);
    // While writing, the data sits in a temp file, not under any hash.
    assert_eq!(temp_files(store.root()).len(), 1);
    let (id, size) = w.finish().await.unwrap();
    assert_eq!(id, BlobId::of(&whole));
    assert_eq!(size, 500_000);
    assert_eq!(store.get_verified(&id).await.unwrap(), whole);
    assert!(temp_files(store.root()).is_empty());

    // Same content through put and through a second writer: same id, nothing left behind.
    assert_eq!(store.put(whole.clone()).await.unwrap(), id);
    let mut w2 = store.writer().await.unwrap();
    w2.write(&whole).await.unwrap();
    assert_eq!(w2.finish().await.unwrap().0, id);
    assert!(temp_files(store.root()).is_empty());
}

#[tokio::test]
async fn abandoned_writer_and_stale_temp_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::open(dir.path()).await.unwrap();
    let mut w = store.writer().await.unwrap();
    w.write(b"half a message").await.unwrap();
    drop(w);
    assert!(
        temp_files(store.root()).is_empty(),
        "dropped writer must clean up"
    );

    // A crash leaves a temp file: clean_temp_files removes it once old enough.
    let stale = store.root().join("tmp").join(".tmp-crashed");
    std::fs::write(&stale, b"x").unwrap();
    assert_eq!(
        store
            .clean_temp_files(std::time::Duration::from_secs(3600))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .clean_temp_files(std::time::Duration::ZERO)
            .await
            .unwrap(),
        1
    );
    assert!(!stale.exists());
}

#[tokio::test]
async fn concurrent_puts_of_the_same_content_agree() {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::open(dir.path()).await.unwrap();
    let body = vec![7u8; 64 * 1024];
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (s, b) = (store.clone(), body.clone());
        tasks.push(tokio::spawn(async move { s.put(b).await }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), BlobId::of(&body));
    }
    assert_eq!(store.get_verified(&BlobId::of(&body)).await.unwrap(), body);
    assert!(temp_files(store.root()).is_empty());
}
