//! A synthetic IHE XDM package of any size, for the benchmark (`santemail bench dmp`) and tests.
//! Written in streaming (64 KiB at a time) so generating it does not weigh on the measure.

use std::io::{Seek, Write};
use std::path::Path;

use sha1::{Digest, Sha1};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::document::{Document, DocumentMeta};

/// xorshift64*: incompressible bytes without a dependency (real PDFs barely compress either).
struct Noise(u64);

impl Noise {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let v = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// Writes an XDM zip for `patient_ins` with `documents` PDF-like documents totalling about
/// `total_bytes`. Returns the size of the zip.
pub fn write_package(
    path: &Path,
    patient_ins: &str,
    total_bytes: u64,
    documents: usize,
) -> std::io::Result<u64> {
    let documents = documents.max(1);
    let per_doc = total_bytes / documents as u64;
    let file = std::fs::File::create(path)?;
    let mut zip = ZipWriter::new(file);
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    let mut buf = vec![0u8; 64 * 1024];
    let mut metas = Vec::with_capacity(documents);
    for i in 1..=documents {
        let uri = format!("DOC{i:04}.PDF");
        zip.start_file(format!("IHE_XDM/SUBSET01/{uri}"), opts)
            .map_err(std::io::Error::other)?;
        let mut sha1 = Sha1::new();
        let mut left = per_doc;
        while left > 0 {
            let n = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
            noise.fill(&mut buf[..n]);
            zip.write_all(&buf[..n])?;
            sha1.update(&buf[..n]);
            left -= n as u64;
        }
        metas.push((uri, hex::encode(sha1.finalize()), per_doc));
    }
    let docs: Vec<Document> = metas
        .iter()
        .enumerate()
        .map(|(i, (uri, _, size))| synthetic_doc(patient_ins, i, uri, *size))
        .collect();
    let files: Vec<super::metadata::ExportedFile<'_>> = docs
        .iter()
        .zip(&metas)
        .map(|(doc, (uri, sha1, size))| super::metadata::ExportedFile {
            doc,
            uri: uri.clone(),
            sha1: sha1.clone(),
            size: *size,
        })
        .collect();
    let xml = super::metadata::metadata_xml(patient_ins, &files, store::db::now_unix())
        .map_err(std::io::Error::other)?;
    zip.start_file("IHE_XDM/SUBSET01/METADATA.XML", opts)
        .map_err(std::io::Error::other)?;
    zip.write_all(xml.as_bytes())?;
    zip.start_file("README.TXT", opts)
        .map_err(std::io::Error::other)?;
    zip.write_all(b"Paquet IHE XDM synthetique (banc d'essai).\r\n")?;
    let mut file = zip.finish().map_err(std::io::Error::other)?;
    file.sync_all()?;
    file.stream_position()
}

fn synthetic_doc(patient_ins: &str, i: usize, uri: &str, size: u64) -> Document {
    Document {
        id: 0,
        patient_ins: patient_ins.to_string(),
        meta: DocumentMeta {
            unique_id: format!("1.2.250.1.999.9.{i}"),
            title: format!("Compte rendu d'imagerie {}", i + 1),
            category: crate::Category::Imagerie,
            type_code: Some("18748-4".into()),
            type_label: Some("CR d'imagerie médicale".into()),
            class_code: Some("10".into()),
            format_code: Some("urn:ihe:iti:xds-sd:pdf:2008".into()),
            mime_type: "application/pdf".into(),
            file_name: uri.to_string(),
            author_kind: crate::AuthorKind::Professional,
            author_id: Some("10284642892".into()),
            author_name: Some("Camille MARTIN".into()),
            author_structure: None,
            created_at: 1_794_994_200,
            source: crate::Source::Xdm,
            visibility: Default::default(),
        },
        filed_at: 0,
        blob_id: String::new(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
    }
}
