//! Export of a patient's documents as one IHE XDM archive (ITI TF-1 §16.1.2 media layout):
//! `README.TXT`, `INDEX.HTM`, `IHE_XDM/SUBSET01/METADATA.XML` and the documents. Used by the
//! webmail's closing export; [`super::file`] re-imports it to the same documents and metadata.
//! Documents stream from the blob store into the zip: memory stays flat.

use std::io::{Seek, Write};

use sha1::{Digest, Sha1};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::metadata::{ExportedFile, metadata_xml};
use crate::Dmp;
use crate::document::Document;
use crate::error::{DmpError, Result};

fn extension(mime: &str, file_name: &str) -> String {
    match file_name.rsplit_once('.') {
        Some((_, ext))
            if !ext.is_empty()
                && ext.len() <= 5
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            ext.to_ascii_uppercase()
        }
        _ => match mime {
            "application/pdf" => "PDF".into(),
            "text/xml" | "application/xml" => "XML".into(),
            "image/jpeg" => "JPG".into(),
            "image/png" => "PNG".into(),
            "text/plain" => "TXT".into(),
            _ => "BIN".into(),
        },
    }
}

/// The document's own file name when it is a plain, unused name (so a re-import gives it back),
/// else `DOCnnnn.EXT` as in the XDM examples.
fn uri_for(doc: &Document, n: usize, taken: &[ExportedFile<'_>]) -> String {
    let name = doc.meta.file_name.as_str();
    let plain = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !name.eq_ignore_ascii_case("METADATA.XML")
        && !taken.iter().any(|f| f.uri.eq_ignore_ascii_case(name));
    if plain {
        name.to_string()
    } else {
        format!("DOC{n:04}.{}", extension(&doc.meta.mime_type, name))
    }
}

const README: &str = "Paquet IHE XDM exporté de votre espace santé (santemail).\r\n\
Il contient vos documents et leur description (IHE_XDM/SUBSET01/METADATA.XML).\r\n\
Ouvrez INDEX.HTM pour la liste des documents.\r\n";

fn index_htm(files: &[ExportedFile<'_>]) -> String {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Mes documents</title></head><body>\n<h1>Mes documents</h1>\n<ul>\n",
    );
    for f in files {
        s.push_str(&format!(
            "<li><a href=\"IHE_XDM/SUBSET01/{}\">{}</a> ({})</li>\n",
            quick_xml::escape::escape(f.uri.as_str()),
            quick_xml::escape::escape(f.doc.meta.title.as_str()),
            f.doc.meta.category.label()
        ));
    }
    s.push_str("</ul>\n</body></html>\n");
    s
}

impl Dmp {
    /// Writes all `docs` (of `patient_ins`) as one XDM zip into `out`. Blocking I/O runs on a
    /// blocking thread. Returns `out` once the archive is complete.
    pub async fn write_xdm<W>(&self, patient_ins: &str, docs: Vec<Document>, out: W) -> Result<W>
    where
        W: Write + Seek + Send + 'static,
    {
        let blobs = self.blobs().clone();
        let ins = patient_ins.to_string();
        tokio::task::spawn_blocking(move || -> Result<W> {
            let zerr = |e: zip::result::ZipError| DmpError::Internal(format!("zip: {e}"));
            let opts = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .large_file(true);
            let mut zip = ZipWriter::new(out);
            let mut files = Vec::with_capacity(docs.len());
            for (i, doc) in docs.iter().enumerate() {
                let uri = uri_for(doc, i + 1, &files);
                zip.start_file(format!("IHE_XDM/SUBSET01/{uri}"), opts)
                    .map_err(zerr)?;
                let mut src = std::fs::File::open(blobs.path(&doc.blob()?))?;
                let mut hasher = HashingWriter {
                    inner: &mut zip,
                    sha1: Sha1::new(),
                    size: 0,
                };
                std::io::copy(&mut src, &mut hasher)?;
                let (sha1, size) = (hex::encode(hasher.sha1.finalize()), hasher.size);
                files.push(ExportedFile {
                    doc,
                    uri,
                    sha1,
                    size,
                });
            }
            let xml = metadata_xml(&ins, &files, store::db::now_unix())?;
            zip.start_file("IHE_XDM/SUBSET01/METADATA.XML", opts)
                .map_err(zerr)?;
            zip.write_all(xml.as_bytes())?;
            zip.start_file("README.TXT", opts).map_err(zerr)?;
            zip.write_all(README.as_bytes())?;
            zip.start_file("INDEX.HTM", opts).map_err(zerr)?;
            zip.write_all(index_htm(&files).as_bytes())?;
            let out = zip.finish().map_err(zerr)?;
            Ok(out)
        })
        .await
        .map_err(|e| DmpError::Internal(format!("export task failed: {e}")))?
    }
}

struct HashingWriter<'a, W: Write> {
    inner: &'a mut W,
    sha1: Sha1,
    size: u64,
}

impl<W: Write> Write for HashingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha1.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
