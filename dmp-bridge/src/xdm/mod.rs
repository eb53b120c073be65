//! IHE XDM packages (IHE ITI TF-1 §16, ITI-32): read ([`read`]), check ([`safety`]), file into
//! the DMP ([`file`]) and export ([`write`]).

pub mod file;
pub mod metadata;
pub mod read;
pub mod safety;
pub mod synth;
pub mod write;

use crate::categories::categorize;
use crate::document::{AuthorKind, DocumentMeta, Source, Visibility, new_unique_id, parse_dtm};
use crate::error::XdmRejection;

/// The OID of the INS-NIR assigning authority (referentiel INS).
pub const INS_OID: &str = "1.2.250.1.213.1.4.8";
/// Coding scheme of the DMP confidentiality codes (MASQUE_PS, INVISIBLE_PATIENT…).
pub const DMP_CONFIDENTIALITY_OID: &str = "1.2.250.1.213.1.1.4.13";
/// Coding scheme of the DMP class codes.
pub const CLASS_CODE_OID: &str = "1.2.250.1.213.1.1.4.1";
/// LOINC.
pub const LOINC_OID: &str = "2.16.840.1.113883.6.1";
/// The national PS identifier authority (ASIP), in `authorPerson`.
pub const PS_ID_OID: &str = "1.2.250.1.71.4.2.1";

/// ebXML classification and identification schemes of XDS (ITI TF-3 §4.2.5).
pub mod scheme {
    pub const AUTHOR: &str = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d";
    pub const CLASS_CODE: &str = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a";
    pub const CONFIDENTIALITY: &str = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f";
    pub const FORMAT_CODE: &str = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d";
    pub const TYPE_CODE: &str = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983";
    pub const DOC_PATIENT_ID: &str = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427";
    pub const DOC_UNIQUE_ID: &str = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab";
    pub const SET_PATIENT_ID: &str = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446";
    pub const SET_UNIQUE_ID: &str = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8";
    pub const SET_SOURCE_ID: &str = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832";
    pub const SUBMISSION_SET: &str = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";
    pub const DOCUMENT_ENTRY: &str = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1";
}

/// A coded value (nodeRepresentation + codingScheme + display name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Code {
    pub code: String,
    pub scheme: Option<String>,
    pub label: Option<String>,
}

/// One `ExtrinsicObject` (XDSDocumentEntry) as read from METADATA.XML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XdmEntry {
    pub id: String,
    pub uri: Option<String>,
    pub mime_type: String,
    pub title: Option<String>,
    pub creation_time: Option<String>,
    /// HL7 CX, e.g. `240013700100130^^^&1.2.250.1.213.1.4.8&ISO^NH`.
    pub patient_id: Option<String>,
    pub source_patient_id: Option<String>,
    /// HL7 XCN.
    pub author_person: Option<String>,
    /// HL7 XON.
    pub author_institution: Option<String>,
    pub class_code: Option<Code>,
    pub type_code: Option<Code>,
    pub format_code: Option<Code>,
    pub confidentiality: Vec<Code>,
    pub unique_id: Option<String>,
    pub size: Option<u64>,
    /// SHA-1 of the content, lowercase hex (ITI TF-3 §4.2.3.2.11).
    pub hash: Option<String>,
    /// Extra metadata of our own exports (ITI TF-3 §4.2.3.1.3 allows `urn:` slots): the category
    /// the citizen chose and their "hidden from professionals" choice.
    pub category: Option<String>,
    pub hidden_by_patient: bool,
    pub file_name: Option<String>,
}

/// Extra slot names written on export and honoured on import.
pub const SLOT_CATEGORY: &str = "urn:santemail:category";
pub const SLOT_HIDDEN: &str = "urn:santemail:hiddenByPatient";
pub const SLOT_FILE_NAME: &str = "urn:santemail:fileName";

/// What one METADATA.XML describes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XdmMetadata {
    pub submission_patient_id: Option<String>,
    pub submission_time: Option<String>,
    pub documents: Vec<XdmEntry>,
}

/// Splits an HL7 CX / XCN identifier: the id (1st component) and the assigning authority's OID
/// (universal id, the 2nd subcomponent of the component after the name parts).
pub fn hl7_id(value: &str, authority_component: usize) -> (String, Option<String>) {
    let comps: Vec<&str> = value.split('^').collect();
    let id = comps
        .first()
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let oid = comps
        .get(authority_component)
        .and_then(|c| c.split('&').nth(1))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    (id, oid)
}

/// The INS in a CX patient id, if its authority is the INS OID.
pub fn ins_of(cx: &str) -> Option<String> {
    match hl7_id(cx, 3) {
        (id, Some(oid)) if oid == INS_OID && !id.is_empty() => Some(id),
        _ => None,
    }
}

/// Checks that the package and each of its documents are for `patient_ins`.
pub fn check_patient(meta: &XdmMetadata, patient_ins: &str) -> Result<(), XdmRejection> {
    let wrong = |found: &str| XdmRejection::WrongPatient {
        found: found.to_string(),
    };
    if let Some(set) = &meta.submission_patient_id
        && ins_of(set).as_deref() != Some(patient_ins)
    {
        return Err(wrong(set));
    }
    for d in &meta.documents {
        let pid = d
            .patient_id
            .as_deref()
            .or(meta.submission_patient_id.as_deref())
            .ok_or_else(|| wrong("(absent)"))?;
        if ins_of(pid).as_deref() != Some(patient_ins) {
            return Err(wrong(pid));
        }
    }
    Ok(())
}

/// The stored description of an XDM document entry.
pub fn to_meta(entry: &XdmEntry, source: Source, filed_at: i64) -> DocumentMeta {
    let conf = |c: &str| entry.confidentiality.iter().any(|x| x.code == c);
    let (author_kind, author_id, author_name) = match entry.author_person.as_deref() {
        Some(xcn) => {
            let (id, oid) = hl7_id(xcn, 8);
            let comps: Vec<&str> = xcn.split('^').collect();
            let name = [comps.get(2), comps.get(1)]
                .into_iter()
                .flatten()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let name = (!name.is_empty()).then_some(name);
            if oid.as_deref() == Some(INS_OID) {
                (AuthorKind::Patient, Some(id), name)
            } else {
                // The national PS id is `8`+RPPS (or `0`+ADELI); keep the RPPS.
                let rpps = match id.strip_prefix('8') {
                    Some(r) if r.len() == 11 => r.to_string(),
                    _ => id,
                };
                (
                    AuthorKind::Professional,
                    Some(rpps).filter(|s| !s.is_empty()),
                    name,
                )
            }
        }
        None => (AuthorKind::Structure, None, None),
    };
    let structure = entry.author_institution.as_deref().map(|xon| {
        let comps: Vec<&str> = xon.split('^').collect();
        let name = comps.first().copied().unwrap_or_default().trim();
        match comps.get(9).map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(id) => format!("{name} ({id})"),
            None => name.to_string(),
        }
    });
    let type_code = entry.type_code.as_ref().map(|c| c.code.clone());
    let class_code = entry.class_code.as_ref().map(|c| c.code.clone());
    let file_name = entry
        .file_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .or(entry.uri.as_deref())
        .and_then(|u| u.rsplit('/').next())
        .unwrap_or("document")
        .to_string();
    DocumentMeta {
        unique_id: entry
            .unique_id
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| new_unique_id(entry.id.as_bytes())),
        title: entry.title.clone().unwrap_or_else(|| file_name.clone()),
        category: entry
            .category
            .as_deref()
            .and_then(crate::Category::from_slug)
            .unwrap_or_else(|| categorize(type_code.as_deref(), class_code.as_deref())),
        type_label: entry.type_code.as_ref().and_then(|c| c.label.clone()),
        type_code,
        class_code,
        format_code: entry.format_code.as_ref().map(|c| c.code.clone()),
        mime_type: entry.mime_type.clone(),
        file_name,
        author_kind,
        author_id,
        author_name,
        author_structure: structure,
        created_at: entry
            .creation_time
            .as_deref()
            .and_then(parse_dtm)
            .unwrap_or(filed_at),
        source,
        visibility: Visibility {
            masque_ps: conf("MASQUE_PS"),
            invisible_patient: conf("INVISIBLE_PATIENT"),
            invisible_rep_legaux: conf("INVISIBLE_REP_LEGAUX"),
            hidden_by_patient: entry.hidden_by_patient,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hl7_identifiers() {
        let cases = [
            (
                "240013700100130^^^&1.2.250.1.213.1.4.8&ISO^NH",
                Some("240013700100130"),
            ),
            ("240013700100130^^^&1.2.250.1.213.1.4.10&ISO^NH", None),
            ("240013700100130", None),
            ("^^^&1.2.250.1.213.1.4.8&ISO", None),
        ];
        for (cx, want) in cases {
            assert_eq!(ins_of(cx).as_deref(), want, "{cx}");
        }
        let (id, oid) = hl7_id(
            "810284642892^MARTIN^Camille^^^^^^&1.2.250.1.71.4.2.1&ISO^D",
            8,
        );
        assert_eq!(id, "810284642892");
        assert_eq!(oid.as_deref(), Some(PS_ID_OID));
    }

    #[test]
    fn patient_check() {
        let pid = |s: &str| Some(format!("{s}^^^&{INS_OID}&ISO^NH"));
        let meta = XdmMetadata {
            submission_patient_id: pid("240013700100130"),
            documents: vec![XdmEntry {
                patient_id: pid("240013700100130"),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(check_patient(&meta, "240013700100130").is_ok());
        assert!(check_patient(&meta, "180017500100199").is_err());
        let mut other_doc = meta.clone();
        other_doc.documents[0].patient_id = pid("180017500100199");
        assert!(check_patient(&other_doc, "240013700100130").is_err());
        let mut none = meta;
        none.submission_patient_id = None;
        none.documents[0].patient_id = None;
        assert!(check_patient(&none, "240013700100130").is_err());
    }
}
