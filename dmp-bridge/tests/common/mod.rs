//! Shared set-up of the dmp-bridge tests: a real database (SQLite or PostgreSQL) with the
//! fixture directory and citizens imported, a blob store in a temp folder, and XDM builders.
#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dmp_bridge::{CitizenNotifier, Dmp, DmpConfig, DocumentEvent};
use futures::future::BoxFuture;
use store::{BlobStore, Db};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

pub const CAMILLE: &str = "240013700100130";
pub const OTHER: &str = "143024503800277";
/// Dr Camille MARTIN, médecin.
pub const DR_MARTIN: &str = "10284642892";
/// Dr Léa ROUSSEAU, médecin.
pub const DR_ROUSSEAU: &str = "10693719556";
/// Hugo LE GALL, infirmier.
pub const NURSE: &str = "10799556063";
/// Chloé BERNARD, pharmacien.
pub const PHARMACIST: &str = "10224614162";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Records the notifications instead of sending e-mail.
#[derive(Default)]
pub struct Recorder(pub Mutex<Vec<DocumentEvent>>);

impl CitizenNotifier for Recorder {
    fn notify(&self, event: DocumentEvent) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            if let Ok(mut v) = self.0.lock() {
                v.push(event);
            }
        })
    }
}

pub struct Env {
    pub dmp: Dmp,
    pub notes: Arc<Recorder>,
    pub blob_dir: tempfile::TempDir,
}

/// A DMP on `db` with the professionals and citizens of the fixtures imported.
pub async fn env(db: Db) -> Env {
    let mut opts = directory::ImportOptions::new("patient.mssante.example");
    directory::import_file(
        &db,
        &fixture("PS_LibreAcces_Personne_activite_202611200300.txt"),
        &mut opts,
    )
    .await
    .expect("import professionals");
    let codes_dir = tempfile::tempdir().expect("tempdir");
    let mut codes = directory::accounts::CodesWriter::create(&codes_dir.path().join("codes.csv"))
        .expect("codes writer");
    let mut opts = directory::ImportOptions::new("patient.mssante.example");
    opts.codes = Some(&mut codes);
    directory::import_file(&db, &fixture("assures.csv"), &mut opts)
        .await
        .expect("import citizens");
    let blob_dir = tempfile::tempdir().expect("tempdir");
    let blobs = BlobStore::open(blob_dir.path()).await.expect("blob store");
    let notes = Arc::new(Recorder::default());
    let dmp = Dmp::new(db, blobs, &DmpConfig::default(), notes.clone());
    Env {
        dmp,
        notes,
        blob_dir,
    }
}

pub fn fixture_package() -> Vec<u8> {
    std::fs::read(fixture("xdm/IHE_XDM.ZIP")).expect("fixture zip")
}

pub fn fixture_metadata() -> String {
    std::fs::read_to_string(fixture("xdm/METADATA.XML")).expect("fixture metadata")
}

/// A zip with the given (name, content) entries, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        zip.start_file(*name, opts).expect("start file");
        zip.write_all(content).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// The fixture's two documents under a given METADATA.XML.
pub fn package_with_metadata(xml: &str) -> Vec<u8> {
    let doc1 = read_entry(&fixture_package(), "IHE_XDM/SUBSET01/DOC0001.XML");
    let doc2 = read_entry(&fixture_package(), "IHE_XDM/SUBSET01/DOC0002.PDF");
    zip_of(&[
        ("README.TXT", b"test"),
        ("IHE_XDM/SUBSET01/METADATA.XML", xml.as_bytes()),
        ("IHE_XDM/SUBSET01/DOC0001.XML", &doc1),
        ("IHE_XDM/SUBSET01/DOC0002.PDF", &doc2),
    ])
}

pub fn read_entry(zip: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut a = zip::ZipArchive::new(Cursor::new(zip)).expect("zip");
    let mut f = a.by_name(name).expect("entry");
    let mut v = Vec::new();
    f.read_to_end(&mut v).expect("read");
    v
}

/// Number of document rows and files in the blob store (temp files included).
pub async fn leftovers(env: &Env) -> (i64, usize) {
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dmp_document")
        .fetch_one(env.dmp.db().pool())
        .await
        .expect("count");
    let mut files = 0;
    let mut stack = vec![env.blob_dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                files += 1;
            }
        }
    }
    (rows, files)
}
