//! Zip entries are hostile (issue 7): every check here runs on the central directory before a
//! single byte is decompressed, and again on the bytes while they stream (declared sizes lie).
//! Each refusal is a distinct [`XdmRejection`] with a French sentence and a log line.

use std::io::{Read, Seek};

use serde::{Deserialize, Serialize};
use zip::{CompressionMethod, ZipArchive};

use crate::error::XdmRejection;

/// Bounds on an XDM package (config `[dmp]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct XdmLimits {
    /// Most entries (files and folders) in one archive.
    pub max_entries: usize,
    /// Largest uncompressed entry, in bytes.
    pub max_entry_bytes: u64,
    /// Largest total uncompressed size, in bytes.
    pub max_total_bytes: u64,
    /// Highest uncompressed/compressed ratio of an entry larger than [`RATIO_FLOOR`].
    pub max_ratio: u64,
    /// Largest METADATA.XML, in bytes (it is parsed in memory).
    pub max_metadata_bytes: u64,
}

impl Default for XdmLimits {
    fn default() -> Self {
        XdmLimits {
            max_entries: 1000,
            max_entry_bytes: 100_000_000,
            max_total_bytes: 500_000_000,
            max_ratio: 100,
            max_metadata_bytes: 8_000_000,
        }
    }
}

/// Small entries may compress very well (a CDA full of repeated tags): the ratio is only
/// checked above this size.
pub const RATIO_FLOOR: u64 = 1_000_000;

/// One entry of the archive that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeEntry {
    pub index: usize,
    /// The entry's path inside the archive, `/`-separated, without `.` or `..`.
    pub path: String,
    pub size: u64,
}

fn refuse(r: XdmRejection) -> XdmRejection {
    tracing::warn!(reason = %r, "XDM package refused");
    r
}

/// Opens the archive and checks every entry of its central directory.
pub fn inspect<R: Read + Seek>(
    reader: R,
    limits: &XdmLimits,
) -> Result<(ZipArchive<R>, Vec<SafeEntry>), XdmRejection> {
    let mut archive =
        ZipArchive::new(reader).map_err(|e| refuse(XdmRejection::Malformed(e.to_string())))?;
    if archive.len() > limits.max_entries {
        return Err(refuse(XdmRejection::TooManyEntries {
            count: archive.len(),
            limit: limits.max_entries,
        }));
    }
    let mut total: u64 = 0;
    let mut out = Vec::new();
    for index in 0..archive.len() {
        let f = archive
            .by_index_raw(index)
            .map_err(|e| refuse(XdmRejection::Malformed(e.to_string())))?;
        let name = f
            .name()
            .map_err(|e| refuse(XdmRejection::Malformed(e.to_string())))?
            .into_owned();
        if f.encrypted() {
            return Err(refuse(XdmRejection::Encrypted(name)));
        }
        let path = safe_path(&name)
            .filter(|_| f.enclosed_name().is_some() && !f.is_symlink())
            .ok_or_else(|| refuse(XdmRejection::PathTraversal(name.clone())))?;
        if f.is_dir() {
            continue;
        }
        if !matches!(
            f.compression(),
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            return Err(refuse(XdmRejection::Unsupported(name)));
        }
        let size = f.size();
        if size > limits.max_entry_bytes {
            return Err(refuse(XdmRejection::EntryTooLarge {
                name,
                size,
                limit: limits.max_entry_bytes,
            }));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(refuse(XdmRejection::TotalTooLarge {
                limit: limits.max_total_bytes,
            }));
        }
        let ratio = size / f.compressed_size().max(1);
        if size > RATIO_FLOOR && ratio > limits.max_ratio {
            return Err(refuse(XdmRejection::RatioTooHigh {
                name,
                ratio,
                limit: limits.max_ratio,
            }));
        }
        out.push(SafeEntry { index, path, size });
    }
    Ok((archive, out))
}

/// The normalised path of an entry name, or `None` if it could leave the archive: absolute,
/// a drive letter, a backslash, a NUL, or a `..` anywhere (no legitimate XDM needs one).
pub fn safe_path(name: &str) -> Option<String> {
    if name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.as_bytes().get(1) == Some(&b':')
    {
        return None;
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Wraps an entry's decompressing reader: fails once more than `limit` bytes come out, whatever
/// the central directory declared (a forged size must not let a bomb through).
pub struct Bounded<R> {
    inner: R,
    left: u64,
    name: String,
}

impl<R: Read> Bounded<R> {
    pub fn new(inner: R, limit: u64, name: &str) -> Self {
        Bounded {
            inner,
            left: limit,
            name: name.to_string(),
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        if n64 > self.left {
            tracing::warn!(entry = %self.name, "zip entry expands beyond its declared size");
            return Err(std::io::Error::other(BoundExceeded));
        }
        self.left -= n64;
        Ok(n)
    }
}

/// The marker error of [`Bounded`].
#[derive(Debug)]
pub struct BoundExceeded;

impl std::fmt::Display for BoundExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("entry larger than declared")
    }
}

impl std::error::Error for BoundExceeded {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let cases = [
            (
                "IHE_XDM/SUBSET01/DOC0001.XML",
                Some("IHE_XDM/SUBSET01/DOC0001.XML"),
            ),
            ("./README.TXT", Some("README.TXT")),
            ("IHE_XDM//A/./b.pdf", Some("IHE_XDM/A/b.pdf")),
            ("../etc/passwd", None),
            ("IHE_XDM/../../x", None),
            ("IHE_XDM/a/../b", None),
            ("/etc/passwd", None),
            ("C:/Windows/x", None),
            ("IHE_XDM\\..\\x", None),
            ("", None),
            ("a\0b", None),
        ];
        for (name, want) in cases {
            assert_eq!(safe_path(name).as_deref(), want, "{name:?}");
        }
    }

    #[test]
    fn bounded_reader_stops_at_the_limit() {
        let data = [7u8; 100];
        let mut ok = Vec::new();
        Bounded::new(&data[..], 100, "x")
            .read_to_end(&mut ok)
            .unwrap();
        assert_eq!(ok.len(), 100);
        let mut over = Vec::new();
        assert!(
            Bounded::new(&data[..], 99, "x")
                .read_to_end(&mut over)
                .is_err()
        );
    }
}
