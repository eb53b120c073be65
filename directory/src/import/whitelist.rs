//! `listeblanchemssante.xml`: the domains of the MSSanté operators and the DN of each operator's
//! server certificate. Read as a stream of XML events (quick-xml), one `<Domaine>` at a time.
//!
//! Domains are stored in their ASCII form (IDNA / punycode, RFC 5890), the form that appears in
//! SMTP and in certificates, with the Unicode form beside it for display:
//! `hôpital-été.mssante.example` is `xn--hpital-t-h1ab6i.mssante.example`.

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::Path;

use quick_xml::events::Event;
use store::Db;

use super::pipeline::{self, TxWriter};
use super::{ImportOptions, ImportReport, close_generation, upsert_sql};
use crate::DirectoryError;
use crate::model::ascii_domain;

const COLS: [&str; 8] = [
    "domain",
    "domain_unicode",
    "description",
    "operator_dn",
    "responsible_contact",
    "support_contact",
    "updated_on",
    "active",
];

/// One `<Domaine>` of the whitelist.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomainEntry {
    pub name: String,
    pub description: String,
    pub operator_dn: String,
    pub responsible: String,
    pub support: String,
    pub updated_on: String,
}

/// A `BufRead` that counts the lines consumed, to give each `<Domaine>` its line number.
struct LineCounting<R> {
    inner: R,
    newlines: u64,
}

impl<R: Read> Read for LineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let end = amt.min(buf.len());
            self.newlines += buf[..end].iter().filter(|&&b| b == b'\n').count() as u64;
        }
        self.inner.consume(amt);
    }
}

/// Checks one entry and returns (ASCII domain, Unicode domain). Pure.
pub(crate) fn check_entry(e: &DomainEntry) -> Result<(String, String), String> {
    let name = e.name.trim();
    if name.is_empty() {
        return Err("<Domaine> without <Nom>".into());
    }
    let ascii = ascii_domain(name).ok_or_else(|| format!("bad domain name `{name}`"))?;
    let (unicode, _) = idna::domain_to_unicode(&ascii);
    Ok((ascii, unicode))
}

/// Streams the XML, calling `entry(line, domain)` for each `<Domaine>`.
fn parse<R: BufRead>(reader: R, mut entry: impl FnMut(u64, DomainEntry)) -> Result<(), String> {
    let mut xml = quick_xml::Reader::from_reader(LineCounting {
        inner: reader,
        newlines: 0,
    });
    let mut buf = Vec::new();
    let mut current: Option<(u64, DomainEntry)> = None;
    let mut field: Option<String> = None;
    let mut text = String::new();
    let mut root_seen = false;
    loop {
        let line = xml.get_ref().newlines + 1;
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("XML error near line {line}: {e}"))?;
        match event {
            Event::Start(s) => {
                let name = s.local_name().into_inner().to_string();
                if !root_seen {
                    if name != "ListeBlanche" {
                        return Err(format!("root element is <{name}>, expected <ListeBlanche>"));
                    }
                    root_seen = true;
                } else if name == "Domaine" {
                    current = Some((xml.get_ref().newlines + 1, DomainEntry::default()));
                } else if current.is_some() {
                    field = Some(name);
                    text.clear();
                }
            }
            Event::Text(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => text.push_str(&t.into_inner()),
            // quick-xml reports `&amp;` and `&#233;` as their own events.
            Event::GeneralRef(r) if field.is_some() => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else if let Some(v) = quick_xml::escape::resolve_predefined_entity(&r) {
                    text.push_str(v);
                }
            }
            Event::End(e) => {
                let name = e.local_name().into_inner().to_string();
                if name == "Domaine" {
                    if let Some((l, d)) = current.take() {
                        entry(l, d);
                    }
                } else if let (Some(f), Some((_, d))) = (field.take(), current.as_mut()) {
                    let value = text.trim().to_string();
                    match f.as_str() {
                        "Nom" => d.name = value,
                        "Description" => d.description = value,
                        "DNCertificatOperateur" => d.operator_dn = value,
                        "ResponsableContact" => d.responsible = value,
                        "SupportContact" => d.support = value,
                        "DateMAJ" => d.updated_on = value,
                        _ => {}
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err("no <ListeBlanche> element".into());
    }
    Ok(())
}

type WhitelistRow = (String, String, DomainEntry);

pub(crate) async fn import(
    db: &Db,
    path: &Path,
    generation: i64,
    opts: &mut ImportOptions<'_>,
) -> Result<ImportReport, DirectoryError> {
    let (reader, bytes) = pipeline::open(path)?;
    let shown = path.display().to_string();
    let (mut rx, parser) =
        pipeline::spawn::<WhitelistRow, _>(opts.batch_rows, bytes, move |sink| {
            let mut seen: HashMap<String, u64> = HashMap::new();
            parse(reader, |line, d| {
                sink.rows_read += 1;
                match check_entry(&d) {
                    Err(reason) => sink.reject(line, reason),
                    Ok((ascii, unicode)) => match seen.get(&ascii) {
                        Some(first) => sink.reject(
                            line,
                            format!("duplicate domain {ascii} (first at line {first}); ignored"),
                        ),
                        None => {
                            seen.insert(ascii.clone(), line);
                            sink.row((ascii, unicode, d));
                        }
                    },
                }
            })
            .map_err(|detail| DirectoryError::Malformed {
                path: shown,
                detail,
            })
        });
    let extra = [
        ("import_gen", generation.to_string()),
        ("created_gen", generation.to_string()),
        ("updated_at", crate::now().to_string()),
    ];
    let mut report = ImportReport::default();
    let mut w = TxWriter::begin(db).await?;
    while let Some(batch) = rx.recv().await {
        report.rows_read = batch.rows_read;
        report.rejected.extend(batch.rejected);
        if !batch.rows.is_empty() {
            let sql = upsert_sql(
                w.backend,
                "dir_whitelist",
                &COLS,
                &extra,
                "domain",
                &["created_gen"],
                batch.rows.len(),
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (ascii, unicode, d) in batch.rows {
                let o = super::opt;
                q = q
                    .bind(ascii)
                    .bind(unicode)
                    .bind(o(&d.description))
                    .bind(o(&d.operator_dn))
                    .bind(o(&d.responsible))
                    .bind(o(&d.support))
                    .bind(o(&d.updated_on))
                    .bind(true);
            }
            q.execute(w.conn().await?).await?;
        }
        if let Some(p) = opts.progress {
            p(batch.bytes);
        }
    }
    w.finish().await?;
    pipeline::join(parser).await?;
    let (imported, updated, deactivated) =
        close_generation(db, "dir_whitelist", generation).await?;
    report.imported = imported;
    report.updated = updated;
    report.deactivated = deactivated;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_domains_with_lines_entities_and_idna() {
        let xml = "<?xml version=\"1.0\"?>\n<ListeBlanche xmlns=\"x\">\n<Domaine>\n\
                   <Nom>medecin.mssante.example</Nom>\n<Description>A &amp; B &#233;</Description>\n\
                   </Domaine>\n<Domaine><Nom>hôpital-été.mssante.example</Nom></Domaine>\n\
                   <Domaine><Description>no name</Description></Domaine>\n</ListeBlanche>\n";
        let mut got = Vec::new();
        parse(xml.as_bytes(), |line, d| got.push((line, d))).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, 3);
        assert_eq!(got[0].1.description, "A & B é");
        assert_eq!(got[1].0, 7);
        assert_eq!(
            check_entry(&got[1].1).unwrap(),
            (
                "xn--hpital-t-h1ab6i.mssante.example".to_string(),
                "hôpital-été.mssante.example".to_string()
            )
        );
        assert_eq!(got[2].0, 8);
        assert!(
            check_entry(&got[2].1)
                .unwrap_err()
                .contains("without <Nom>")
        );
    }

    #[test]
    fn wrong_root_is_an_error() {
        let err = parse("<Other/>".as_bytes(), |_, _| {}).unwrap_err();
        assert!(
            err.contains("no <ListeBlanche>") || err.contains("<Other>"),
            "{err}"
        );
        let err = parse("<a><b/></a>".as_bytes(), |_, _| {}).unwrap_err();
        assert!(err.contains("expected <ListeBlanche>"), "{err}");
    }
}
