//! Which national file is this? Told from its first line (the header of the `|` and `;`
//! extracts) or its XML root element, never from its name: operators rename files.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::DirectoryError;

/// The kinds of file the directory imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ImportKind {
    /// `Extraction_Correspondance_MSSante_*.txt`: the MSSanté mailboxes (31 columns, `|`).
    Mailboxes,
    /// `PS_LibreAcces_Personne_activite_*.txt`: professionals' activities and structures
    /// (52 columns + a trailing `|`).
    Activities,
    /// `listeblanchemssante.xml`: the operators' domains.
    Whitelist,
    /// `assures.csv` (`;`): the insured register, which creates the citizens' accounts.
    Insured,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Mailboxes => "mssante",
            ImportKind::Activities => "ps_libreacces",
            ImportKind::Whitelist => "whitelist",
            ImportKind::Insured => "insured",
        }
    }
}

/// Reads the beginning of `path` and tells its kind.
pub fn detect_kind(path: &Path) -> Result<ImportKind, DirectoryError> {
    let read_err = |source| DirectoryError::Read {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let mut head = Vec::with_capacity(8192);
    file.take(8192).read_to_end(&mut head).map_err(read_err)?;
    detect_head(&head).map_err(|detail| DirectoryError::UnknownFormat {
        path: path.display().to_string(),
        detail,
    })
}

/// Tells the kind from the first bytes of a file (pure; the error says what was found).
pub fn detect_head(head: &[u8]) -> Result<ImportKind, String> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.is_empty() {
        return Err("the file is empty".into());
    }
    if head.starts_with(b"<") {
        return match xml_root(head) {
            Some(root) if root == "ListeBlanche" => Ok(ImportKind::Whitelist),
            Some(root) => Err(format!(
                "XML root element is <{root}>, expected <ListeBlanche>"
            )),
            None => Err("XML without a root element in its first 8 KiB".into()),
        };
    }
    let line_end = head
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(head.len());
    let line = String::from_utf8_lossy(&head[..line_end]);
    let first = |sep: char| line.split(sep).next().unwrap_or("").trim().to_string();
    if first('|') == "Type de BAL" {
        return Ok(ImportKind::Mailboxes);
    }
    if first('|') == "Type d'identifiant PP" {
        return Ok(ImportKind::Activities);
    }
    if first(';').eq_ignore_ascii_case("nir") {
        return Ok(ImportKind::Insured);
    }
    let shown: String = line.chars().take(60).collect();
    Err(format!("unrecognised first line `{shown}`"))
}

/// The local name of the first element of an XML document, if any.
fn xml_root(head: &[u8]) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(head);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                return Some(e.local_name().into_inner().to_string());
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&[u8], Result<ImportKind, &str>)] = &[
            (
                b"Type de BAL|Adresse BAL|Type Identifiant PP\nPER|a@b.c|8\n",
                Ok(ImportKind::Mailboxes),
            ),
            (
                "\u{feff}Type de BAL|Adresse BAL\r\n".as_bytes(),
                Ok(ImportKind::Mailboxes),
            ),
            (
                "Type d'identifiant PP|Identifiant PP|Identification nationale PP|\n".as_bytes(),
                Ok(ImportKind::Activities),
            ),
            (
                b"<?xml version=\"1.0\"?>\n<!-- c -->\n<ListeBlanche xmlns=\"x\"><Domaine/>",
                Ok(ImportKind::Whitelist),
            ),
            (
                b"<lb:ListeBlanche xmlns:lb=\"x\">",
                Ok(ImportKind::Whitelist),
            ),
            (b"nir;nom_naissance;prenoms\n", Ok(ImportKind::Insured)),
            (
                b"<?xml version=\"1.0\"?><Other/>",
                Err("root element is <Other>"),
            ),
            (b"", Err("empty")),
            (b"   \n", Err("empty")),
            (
                b"hello;world\n",
                Err("unrecognised first line `hello;world`"),
            ),
        ];
        for (head, want) in cases {
            match (detect_head(head), want) {
                (Ok(k), Ok(w)) => assert_eq!(k, *w),
                (Err(e), Err(w)) => assert!(e.contains(w), "{e} should contain {w}"),
                (got, want) => panic!(
                    "{:?}: got {got:?}, want {want:?}",
                    String::from_utf8_lossy(head)
                ),
            }
        }
    }
}
