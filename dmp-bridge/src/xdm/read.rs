//! Reads `IHE_XDM/<subset>/METADATA.XML`: an ebRIM 3.0 `SubmitObjectsRequest` (IHE ITI TF-3
//! §4.2.3 and ITI-32 "Distribute Document Set on Media"), with `quick-xml`. Namespace prefixes are
//! ignored (elements are matched by local name): senders use `rim:`, `ns2:` or none.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::{Code, XdmEntry, XdmMetadata, scheme};
use crate::error::XdmRejection;

#[derive(Default)]
struct Classif {
    scheme: String,
    node: String,
    label: Option<String>,
    coding_scheme: Option<String>,
    author_person: Option<String>,
    author_institution: Option<String>,
}

#[derive(Default)]
struct Parser {
    stack: Vec<String>,
    doc: Option<XdmEntry>,
    in_package: bool,
    classif: Option<Classif>,
    slot: Option<(String, Vec<String>)>,
    value: Option<String>,
    ext_scheme: Option<String>,
    out: XdmMetadata,
}

fn bad(e: impl std::fmt::Display) -> XdmRejection {
    XdmRejection::BadMetadata(e.to_string())
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, XdmRejection> {
    for a in e.attributes() {
        let a = a.map_err(bad)?;
        if a.key.local_name().as_ref() == name {
            return Ok(Some(
                a.normalized_value(XmlVersion::Implicit1_0)
                    .map_err(bad)?
                    .into_owned(),
            ));
        }
    }
    Ok(None)
}

impl Parser {
    fn parent(&self) -> Option<&str> {
        self.stack.last().map(String::as_str)
    }

    fn start(&mut self, e: &BytesStart<'_>) -> Result<(), XdmRejection> {
        let name = e.local_name().as_ref().to_string();
        match name.as_str() {
            "ExtrinsicObject" => {
                self.doc = Some(XdmEntry {
                    id: attr(e, "id")?.unwrap_or_default(),
                    mime_type: attr(e, "mimeType")?
                        .unwrap_or_else(|| "application/octet-stream".into()),
                    ..Default::default()
                });
            }
            "RegistryPackage" => self.in_package = true,
            "Classification" if self.doc.is_some() => {
                self.classif = Some(Classif {
                    scheme: attr(e, "classificationScheme")?.unwrap_or_default(),
                    node: attr(e, "nodeRepresentation")?.unwrap_or_default(),
                    ..Default::default()
                });
            }
            "Slot" => self.slot = Some((attr(e, "name")?.unwrap_or_default(), Vec::new())),
            "Value" if self.slot.is_some() => self.value = Some(String::new()),
            "ExternalIdentifier" => {
                let scheme = attr(e, "identificationScheme")?.unwrap_or_default();
                let value = attr(e, "value")?.unwrap_or_default();
                match (scheme.as_str(), self.doc.as_mut()) {
                    (scheme::DOC_PATIENT_ID, Some(d)) => d.patient_id = Some(value),
                    (scheme::DOC_UNIQUE_ID, Some(d)) => d.unique_id = Some(value),
                    (scheme::SET_PATIENT_ID, None) if self.in_package => {
                        self.out.submission_patient_id = Some(value)
                    }
                    _ => {}
                }
                self.ext_scheme = Some(scheme);
            }
            "LocalizedString" => {
                let value = attr(e, "value")?;
                // <Name><LocalizedString/></Name> names the object it sits in.
                if self.parent() == Some("Name") {
                    let owner = self.stack.iter().rev().nth(1).map(String::as_str);
                    match (owner, self.classif.as_mut(), self.doc.as_mut()) {
                        (Some("Classification"), Some(c), _) => c.label = value,
                        (Some("ExtrinsicObject"), _, Some(d)) => d.title = value,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        self.stack.push(name);
        Ok(())
    }

    fn end(&mut self) -> Result<(), XdmRejection> {
        let Some(name) = self.stack.pop() else {
            return Err(bad("unbalanced end tag"));
        };
        match name.as_str() {
            "Value" => {
                if let (Some(v), Some((_, values))) = (self.value.take(), self.slot.as_mut()) {
                    values.push(v);
                }
            }
            "Slot" => {
                if let Some((slot, values)) = self.slot.take() {
                    self.slot_done(slot, values)?;
                }
            }
            "Classification" => {
                if let (Some(c), Some(d)) = (self.classif.take(), self.doc.as_mut()) {
                    let code = Code {
                        code: c.node,
                        scheme: c.coding_scheme,
                        label: c.label,
                    };
                    match c.scheme.as_str() {
                        scheme::AUTHOR => {
                            d.author_person = d.author_person.take().or(c.author_person);
                            d.author_institution =
                                d.author_institution.take().or(c.author_institution);
                        }
                        scheme::CLASS_CODE => d.class_code = Some(code),
                        scheme::TYPE_CODE => d.type_code = Some(code),
                        scheme::FORMAT_CODE => d.format_code = Some(code),
                        scheme::CONFIDENTIALITY => d.confidentiality.push(code),
                        _ => {}
                    }
                }
            }
            "ExtrinsicObject" => {
                if let Some(d) = self.doc.take() {
                    self.out.documents.push(d);
                }
            }
            "RegistryPackage" => self.in_package = false,
            "ExternalIdentifier" => self.ext_scheme = None,
            _ => {}
        }
        Ok(())
    }

    fn slot_done(&mut self, slot: String, values: Vec<String>) -> Result<(), XdmRejection> {
        let first = values.first().cloned();
        if let Some(c) = self.classif.as_mut() {
            match slot.as_str() {
                "codingScheme" => c.coding_scheme = first,
                "authorPerson" => c.author_person = first,
                "authorInstitution" => c.author_institution = first,
                _ => {}
            }
        } else if let Some(d) = self.doc.as_mut() {
            match slot.as_str() {
                "creationTime" => d.creation_time = first,
                "URI" => d.uri = Some(values.concat()),
                "sourcePatientId" => d.source_patient_id = first,
                super::SLOT_CATEGORY => d.category = first,
                super::SLOT_FILE_NAME => d.file_name = first,
                super::SLOT_HIDDEN => d.hidden_by_patient = first.as_deref() == Some("true"),
                "hash" => d.hash = first.map(|h| h.trim().to_ascii_lowercase()),
                "size" => {
                    d.size = match first {
                        Some(s) => Some(s.trim().parse().map_err(|_| bad("size is not a number"))?),
                        None => None,
                    }
                }
                _ => {}
            }
        } else if self.in_package && slot == "submissionTime" {
            self.out.submission_time = first;
        }
        Ok(())
    }

    fn text(&mut self, s: &str) {
        if let Some(v) = self.value.as_mut() {
            v.push_str(s);
        }
    }
}

/// Parses METADATA.XML. Only the parts this bridge uses are kept; unknown elements are skipped.
pub fn parse_metadata(xml: &str) -> Result<XdmMetadata, XdmRejection> {
    let mut reader = Reader::from_str(xml);
    let mut p = Parser::default();
    let mut saw_root = false;
    loop {
        match reader.read_event().map_err(bad)? {
            Event::Start(e) => {
                if !saw_root {
                    saw_root = true;
                    if e.local_name().as_ref() != "SubmitObjectsRequest" {
                        return Err(bad("the root element is not SubmitObjectsRequest"));
                    }
                }
                p.start(&e)?;
            }
            Event::Empty(e) => {
                p.start(&e)?;
                p.end()?;
            }
            Event::End(_) => p.end()?,
            Event::Text(t) => p.text(&t.xml10_content()),
            Event::CData(t) => p.text(&t),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(bad)? {
                    Some(c) => c,
                    None => match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(bad(format!("unknown entity &{other};"))),
                    },
                };
                p.text(c.encode_utf8(&mut [0u8; 4]));
            }
            Event::DocType(_) => return Err(bad("DOCTYPE is not allowed")),
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(bad("empty document"));
    }
    if !p.stack.is_empty() {
        return Err(bad("truncated document"));
    }
    Ok(p.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/xdm/METADATA.XML");

    #[test]
    fn reads_the_fixture() {
        let m = parse_metadata(FIXTURE).unwrap();
        assert_eq!(
            m.submission_patient_id.as_deref(),
            Some("240013700100130^^^&1.2.250.1.213.1.4.8&ISO^NH")
        );
        assert_eq!(m.submission_time.as_deref(), Some("20261118093000"));
        assert_eq!(m.documents.len(), 2);
        let d = &m.documents[0];
        assert_eq!(d.title.as_deref(), Some("Compte rendu de biologie"));
        assert_eq!(d.mime_type, "text/xml");
        assert_eq!(d.uri.as_deref(), Some("DOC0001.XML"));
        assert_eq!(d.class_code.as_ref().map(|c| c.code.as_str()), Some("10"));
        assert_eq!(
            d.type_code.as_ref().map(|c| c.code.as_str()),
            Some("11502-2")
        );
        assert_eq!(
            d.type_code.as_ref().and_then(|c| c.label.as_deref()),
            Some("CR d'examens biologiques")
        );
        assert_eq!(d.confidentiality[0].code, "N");
        assert_eq!(d.size, Some(1291));
        assert_eq!(d.unique_id.as_deref(), Some("1.2.250.1.999.2.1.e532def0"));
        assert!(
            d.author_person
                .as_deref()
                .unwrap()
                .starts_with("810284642892^MARTIN")
        );
        assert!(
            d.author_institution
                .as_deref()
                .unwrap()
                .starts_with("CABINET DU DR")
        );
        assert_eq!(m.documents[1].mime_type, "application/pdf");
    }

    #[test]
    fn broken_xml_is_refused() {
        let cases = [
            "",
            "<notebrim/>",
            "<lcm:SubmitObjectsRequest xmlns:lcm=\"x\"><a>",
            "<!DOCTYPE x [<!ENTITY a \"b\">]><SubmitObjectsRequest/>",
            "<SubmitObjectsRequest>&bogus;</SubmitObjectsRequest>",
            "<SubmitObjectsRequest></Other>",
        ];
        for xml in cases {
            assert!(parse_metadata(xml).is_err(), "{xml}");
        }
    }
}
