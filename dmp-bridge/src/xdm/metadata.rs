//! METADATA.XML of an export: an ebRIM 3.0 `SubmitObjectsRequest` (IHE ITI TF-3 §4.2.3) with one
//! `ExtrinsicObject` per document, written with `quick-xml` (escaping is the writer's job).

use quick_xml::Writer;
use quick_xml::events::BytesText;

use super::{
    CLASS_CODE_OID, DMP_CONFIDENTIALITY_OID, INS_OID, LOINC_OID, PS_ID_OID, SLOT_CATEGORY,
    SLOT_FILE_NAME, SLOT_HIDDEN, scheme,
};
use crate::document::{AuthorKind, Document, format_dtm, new_unique_id};

/// XDSSubmissionSet.sourceId of our exports: a fixed OID under the UUID arc 2.25 (ITU-T X.667),
/// derived once from a random UUID, naming "santemail" as the source software.
const SOURCE_ID: &str = "2.25.267943021388719712916423850911466281409";
use crate::error::{DmpError, Result};

type Xml = Writer<Vec<u8>>;
type XmlResult = std::io::Result<()>;

fn slot(w: &mut Xml, name: &str, values: &[&str]) -> XmlResult {
    w.create_element("rim:Slot")
        .with_attribute(("name", name))
        .write_inner_content(|w| {
            w.create_element("rim:ValueList").write_inner_content(|w| {
                for v in values {
                    w.create_element("rim:Value")
                        .write_text_content(BytesText::new(v))?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

fn name(w: &mut Xml, value: &str) -> XmlResult {
    w.create_element("rim:Name").write_inner_content(|w| {
        w.create_element("rim:LocalizedString")
            .with_attribute(("value", value))
            .write_empty()?;
        Ok(())
    })?;
    Ok(())
}

fn classification(
    w: &mut Xml,
    id: &str,
    doc: &str,
    scheme_uuid: &str,
    node: &str,
    coding_scheme: &str,
    label: Option<&str>,
) -> XmlResult {
    w.create_element("rim:Classification")
        .with_attributes([
            ("classificationScheme", scheme_uuid),
            ("classifiedObject", doc),
            ("id", id),
            ("nodeRepresentation", node),
        ])
        .write_inner_content(|w| {
            slot(w, "codingScheme", &[coding_scheme])?;
            if let Some(l) = label {
                name(w, l)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn external_id(
    w: &mut Xml,
    id: &str,
    obj: &str,
    scheme_uuid: &str,
    value: &str,
    label: &str,
) -> XmlResult {
    w.create_element("rim:ExternalIdentifier")
        .with_attributes([
            ("id", id),
            ("identificationScheme", scheme_uuid),
            ("registryObject", obj),
            ("value", value),
        ])
        .write_inner_content(|w| name(w, label))?;
    Ok(())
}

/// What the metadata needs of each exported file.
pub struct ExportedFile<'a> {
    pub doc: &'a Document,
    pub uri: String,
    pub sha1: String,
    pub size: u64,
}

/// Builds METADATA.XML for `files` of `patient_ins`.
pub fn metadata_xml(patient_ins: &str, files: &[ExportedFile<'_>], now: i64) -> Result<String> {
    let pid = format!("{patient_ins}^^^&{INS_OID}&ISO^NH");
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    let io = |e: std::io::Error| DmpError::Internal(format!("METADATA.XML: {e}"));
    w.create_element("lcm:SubmitObjectsRequest")
        .with_attributes([
            ("xmlns:lcm", "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"),
            ("xmlns:rim", "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"),
        ])
        .write_inner_content(|w| {
            w.create_element("rim:RegistryObjectList")
                .write_inner_content(|w| {
                    w.create_element("rim:RegistryPackage")
                        .with_attributes([
                            ("id", "SubmissionSet01"),
                            ("objectType", scheme::SUBMISSION_SET),
                        ])
                        .write_inner_content(|w| {
                            slot(w, "submissionTime", &[&format_dtm(now)])?;
                            external_id(
                                w,
                                "sspid",
                                "SubmissionSet01",
                                scheme::SET_PATIENT_ID,
                                &pid,
                                "XDSSubmissionSet.patientId",
                            )?;
                            // Required by XDS (ITI TF-3 Table 4.3.1-3): a unique id for this
                            // submission, and the id of the source (this software).
                            external_id(
                                w,
                                "ssuid",
                                "SubmissionSet01",
                                scheme::SET_UNIQUE_ID,
                                &new_unique_id(pid.as_bytes()),
                                "XDSSubmissionSet.uniqueId",
                            )?;
                            external_id(
                                w,
                                "sssid",
                                "SubmissionSet01",
                                scheme::SET_SOURCE_ID,
                                SOURCE_ID,
                                "XDSSubmissionSet.sourceId",
                            )
                        })?;
                    for (i, f) in files.iter().enumerate() {
                        write_entry(w, i + 1, f, &pid)?;
                    }
                    Ok(())
                })?;
            Ok(())
        })
        .map_err(io)?;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        &String::from_utf8(w.into_inner()).map_err(|e| DmpError::Internal(e.to_string()))?,
    );
    Ok(out)
}

fn write_entry(w: &mut Xml, n: usize, f: &ExportedFile<'_>, pid: &str) -> XmlResult {
    let m = &f.doc.meta;
    let id = format!("Document{n:02}");
    let size = f.size.to_string();
    w.create_element("rim:ExtrinsicObject")
        .with_attributes([
            ("id", id.as_str()),
            ("mimeType", m.mime_type.as_str()),
            ("objectType", scheme::DOCUMENT_ENTRY),
        ])
        .write_inner_content(|w| {
            slot(w, "creationTime", &[&format_dtm(m.created_at)])?;
            slot(w, "languageCode", &["fr-FR"])?;
            slot(w, "hash", &[&f.sha1])?;
            slot(w, "size", &[&size])?;
            slot(w, "URI", &[&f.uri])?;
            slot(w, "sourcePatientId", &[pid])?;
            slot(w, SLOT_CATEGORY, &[m.category.slug()])?;
            slot(w, SLOT_FILE_NAME, &[&m.file_name])?;
            if m.visibility.hidden_by_patient {
                slot(w, SLOT_HIDDEN, &["true"])?;
            }
            name(w, &m.title)?;
            let person = match (m.author_kind, &m.author_id) {
                (AuthorKind::Patient, Some(ins)) => Some(format!(
                    "{ins}^{}^^^^^^^&{INS_OID}&ISO^D^^^NH",
                    m.author_name.as_deref().unwrap_or_default()
                )),
                (AuthorKind::Professional, Some(rpps)) => {
                    let (first, last) = split_name(m.author_name.as_deref());
                    Some(format!(
                        "8{rpps}^{last}^{first}^^^^^^&{PS_ID_OID}&ISO^D^^^IDNPS"
                    ))
                }
                _ => None,
            };
            let institution = m.author_structure.as_deref().map(structure_xon);
            if person.is_some() || institution.is_some() {
                w.create_element("rim:Classification")
                    .with_attributes([
                        ("classificationScheme", scheme::AUTHOR),
                        ("classifiedObject", id.as_str()),
                        ("id", format!("auth{n}").as_str()),
                        ("nodeRepresentation", ""),
                    ])
                    .write_inner_content(|w| {
                        if let Some(p) = &person {
                            slot(w, "authorPerson", &[p])?;
                        }
                        if let Some(i) = &institution {
                            slot(w, "authorInstitution", &[i])?;
                        }
                        Ok(())
                    })?;
            }
            let class = m
                .class_code
                .as_deref()
                .unwrap_or(m.category.default_class_code());
            classification(
                w,
                &format!("class{n}"),
                &id,
                scheme::CLASS_CODE,
                class,
                CLASS_CODE_OID,
                None,
            )?;
            let v = &m.visibility;
            let mut conf: Vec<&str> = Vec::new();
            if v.masque_ps {
                conf.push("MASQUE_PS");
            }
            if v.invisible_patient {
                conf.push("INVISIBLE_PATIENT");
            }
            if v.invisible_rep_legaux {
                conf.push("INVISIBLE_REP_LEGAUX");
            }
            if conf.is_empty() {
                classification(
                    w,
                    &format!("conf{n}"),
                    &id,
                    scheme::CONFIDENTIALITY,
                    "N",
                    "2.16.840.1.113883.5.25",
                    Some("Normal"),
                )?;
            }
            for (k, c) in conf.iter().enumerate() {
                classification(
                    w,
                    &format!("conf{n}_{k}"),
                    &id,
                    scheme::CONFIDENTIALITY,
                    c,
                    DMP_CONFIDENTIALITY_OID,
                    None,
                )?;
            }
            if let Some(fmt) = &m.format_code {
                classification(
                    w,
                    &format!("fmt{n}"),
                    &id,
                    scheme::FORMAT_CODE,
                    fmt,
                    "1.2.250.1.213.1.1.4.2.282",
                    None,
                )?;
            }
            if let Some(t) = &m.type_code {
                classification(
                    w,
                    &format!("type{n}"),
                    &id,
                    scheme::TYPE_CODE,
                    t,
                    LOINC_OID,
                    m.type_label.as_deref(),
                )?;
            }
            external_id(
                w,
                &format!("pid{n}"),
                &id,
                scheme::DOC_PATIENT_ID,
                pid,
                "XDSDocumentEntry.patientId",
            )?;
            external_id(
                w,
                &format!("uid{n}"),
                &id,
                scheme::DOC_UNIQUE_ID,
                &m.unique_id,
                "XDSDocumentEntry.uniqueId",
            )
        })?;
    Ok(())
}

/// "Camille MARTIN" → ("Camille", "MARTIN"): the reader joins given name and family name back.
pub(crate) fn split_name(full: Option<&str>) -> (String, String) {
    match full.map(str::trim).and_then(|s| s.rsplit_once(' ')) {
        Some((first, last)) => (first.to_string(), last.to_string()),
        None => (String::new(), full.unwrap_or_default().to_string()),
    }
}

/// "CABINET (1370000481)" → XON with the id in component 10, as the reader expects.
pub(crate) fn structure_xon(s: &str) -> String {
    match s.strip_suffix(')').and_then(|x| x.rsplit_once(" (")) {
        Some((name, id)) => format!("{name}^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^{id}"),
        None => s.to_string(),
    }
}
