//! What a professional does in a patient's record (the HTTPS API of [`crate::api`] calls these):
//! list, read, deposit a document or an XDM package, release an INVISIBLE_PATIENT document,
//! delete what they authored. Each call checks the access rules (access.rs), writes the audit
//! trail, and notifies the citizen.

use std::io::{Read, Seek};

use certs::identity::PeerIdentity;
use sqlx::Row;

use crate::access::{self, DocFacts, Mode, PatientSettings, Professional};
use crate::audit::{self, Action, Actor, DocumentEvent};
use crate::categories::categorize;
use crate::document::{self, AuthorKind, Document, DocumentMeta, Source, Visibility};
use crate::error::{DmpError, Result};
use crate::xdm::file::{Filed, Staged};
use crate::{Dmp, patient};

/// What a professional gives with a single document.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Deposit {
    pub title: String,
    pub mime_type: String,
    pub file_name: Option<String>,
    pub type_code: Option<String>,
    pub class_code: Option<String>,
    /// Unix seconds; default now.
    pub created_at: Option<i64>,
    #[serde(default)]
    pub masque_ps: bool,
    #[serde(default)]
    pub invisible_patient: bool,
    #[serde(default)]
    pub invisible_rep_legaux: bool,
}

/// The professional behind a verified personal certificate: RPPS from the certificate,
/// profession and name from the directory (PS_LibreAcces, else the MSSanté extract).
pub async fn resolve_professional(dmp: &Dmp, id: &PeerIdentity) -> Result<Professional> {
    let Some(rpps) = id.rpps.clone() else {
        return Err(DmpError::Denied(
            "Un certificat personnel de professionnel de santé (RPPS) est nécessaire.".into(),
        ));
    };
    let national = format!("8{rpps}");
    let mut row = sqlx::query(
        "SELECT profession_code, first_name, last_name FROM dir_professional \
         WHERE national_id = $1",
    )
    .bind(national.clone())
    .fetch_optional(dmp.db().pool())
    .await?;
    if row.is_none() {
        row = sqlx::query(
            "SELECT profession_code, first_name, last_name FROM dir_mailbox \
             WHERE pp_national_id = $1 ORDER BY address LIMIT 1",
        )
        .bind(national)
        .fetch_optional(dmp.db().pool())
        .await?;
    }
    let (profession_code, name) = match row {
        Some(r) => {
            let first: Option<String> = r.try_get("first_name")?;
            let last: Option<String> = r.try_get("last_name")?;
            let name = [first, last]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (
                r.try_get("profession_code")?,
                (!name.is_empty()).then_some(name),
            )
        }
        None => (None, None),
    };
    Ok(Professional {
        rpps,
        name: name.or_else(|| id.common_name.clone()),
        profession_code,
        structure: id.structure_id.clone(),
    })
}

impl Dmp {
    async fn pro_audit(
        &self,
        pro: &Professional,
        ins: &str,
        action: Action,
        doc: Option<(i64, &str)>,
        mode: &Mode,
    ) -> Result<()> {
        let actor = Actor::Professional(pro.clone());
        audit::record(self.db(), ins, &actor, action, doc, mode, None).await?;
        let event = DocumentEvent {
            patient_ins: ins.to_string(),
            professional: pro.clone(),
            action,
            mode: mode.as_str().to_string(),
            at: store::db::now_unix(),
        };
        self.notifier().notify(event).await;
        Ok(())
    }

    /// Checks that the patient exists and that `pro` may open the record in `mode`. A refusal
    /// is audited (the patient sees attempts too) and explained.
    pub async fn pro_open(
        &self,
        pro: &Professional,
        ins: &str,
        mode: &Mode,
    ) -> Result<PatientSettings> {
        let known = directory::nir::Nir::parse(ins).is_ok()
            && directory::accounts::account(self.db(), ins)
                .await?
                .is_some();
        if !known {
            return Err(DmpError::Invalid(
                "Patient inconnu : vérifiez l'INS.".into(),
            ));
        }
        let settings = patient::settings(self.db(), ins).await?;
        if let Err(refusal) = access::check_entry(pro, &settings, mode) {
            let actor = Actor::Professional(pro.clone());
            audit::record(
                self.db(),
                ins,
                &actor,
                Action::AccessRefused,
                None,
                mode,
                Some(refusal.text()),
            )
            .await?;
            tracing::warn!(rpps = %pro.rpps, mode = mode.as_str(), ?refusal, "DMP access refused");
            return Err(DmpError::Denied(refusal.text().into()));
        }
        Ok(settings)
    }

    /// The patient's documents this professional may read in `mode`.
    pub async fn pro_list(
        &self,
        pro: &Professional,
        ins: &str,
        mode: &Mode,
    ) -> Result<Vec<Document>> {
        let settings = self.pro_open(pro, ins, mode).await?;
        let docs = document::list(self.db(), ins).await?;
        let readable = docs
            .into_iter()
            .filter(|d| access::can_read(self.matrix(), pro, &settings, mode, DocFacts::from(d)))
            .collect();
        self.pro_audit(pro, ins, Action::ListDocuments, None, mode)
            .await?;
        Ok(readable)
    }

    /// One document and its content, if this professional may read it (not found otherwise).
    pub async fn pro_read(
        &self,
        pro: &Professional,
        ins: &str,
        id: i64,
        mode: &Mode,
    ) -> Result<(Document, Vec<u8>)> {
        let settings = self.pro_open(pro, ins, mode).await?;
        let d = match document::get(self.db(), id).await? {
            Some(d)
                if d.patient_ins == ins
                    && access::can_read(
                        self.matrix(),
                        pro,
                        &settings,
                        mode,
                        DocFacts::from(&d),
                    ) =>
            {
                d
            }
            _ => return Err(DmpError::NotFound(id)),
        };
        let bytes = self.blobs().get_verified(&d.blob()?).await?;
        self.pro_audit(
            pro,
            ins,
            Action::ReadDocument,
            Some((id, &d.meta.title)),
            mode,
        )
        .await?;
        Ok((d, bytes))
    }

    /// Deposits one document authored by `pro`.
    pub async fn pro_deposit(
        &self,
        pro: &Professional,
        ins: &str,
        dep: Deposit,
        content: &[u8],
    ) -> Result<Document> {
        self.pro_open(pro, ins, &Mode::Normal).await?;
        if content.len() as u64 > self.max_document_bytes() || content.is_empty() {
            return Err(DmpError::Invalid(
                "Document vide ou trop volumineux.".into(),
            ));
        }
        let title = dep.title.trim();
        if title.is_empty() {
            return Err(DmpError::Invalid(
                "Le titre du document est obligatoire.".into(),
            ));
        }
        let meta = DocumentMeta {
            unique_id: document::new_unique_id(content),
            title: title.to_string(),
            category: categorize(dep.type_code.as_deref(), dep.class_code.as_deref()),
            type_code: dep.type_code,
            type_label: None,
            class_code: dep.class_code,
            format_code: None,
            mime_type: dep.mime_type,
            file_name: dep.file_name.unwrap_or_else(|| "document".into()),
            author_kind: AuthorKind::Professional,
            author_id: Some(pro.rpps.clone()),
            author_name: pro.name.clone(),
            author_structure: pro.structure.clone(),
            created_at: dep.created_at.unwrap_or_else(store::db::now_unix),
            source: Source::Api,
            visibility: Visibility {
                masque_ps: dep.masque_ps,
                invisible_patient: dep.invisible_patient,
                invisible_rep_legaux: dep.invisible_rep_legaux,
                hidden_by_patient: false,
            },
        };
        let mut writer = self.blobs().writer().await?;
        writer.write(content).await?;
        let filed = self
            .commit_staged(ins, vec![Staged { meta, writer }])
            .await?;
        let id = filed
            .ids
            .first()
            .copied()
            .ok_or(DmpError::Internal("no id".into()))?;
        self.pro_audit(pro, ins, Action::Deposit, Some((id, title)), &Mode::Normal)
            .await?;
        document::get(self.db(), id)
            .await?
            .ok_or(DmpError::NotFound(id))
    }

    /// Deposits an XDM package (all documents or none) for `ins`.
    pub async fn pro_deposit_xdm<R>(
        &self,
        pro: &Professional,
        ins: &str,
        package: R,
    ) -> Result<Filed>
    where
        R: Read + Seek + Send + 'static,
    {
        self.pro_open(pro, ins, &Mode::Normal).await?;
        let filed = self.file_xdm(ins, package, Source::Api).await?;
        self.pro_audit(pro, ins, Action::Deposit, None, &Mode::Normal)
            .await?;
        Ok(filed)
    }

    /// Makes an INVISIBLE_PATIENT document visible to the patient after the announcement
    /// consultation: the author or the médecin traitant only.
    pub async fn pro_release(&self, pro: &Professional, ins: &str, id: i64) -> Result<()> {
        let settings = self.pro_open(pro, ins, &Mode::Normal).await?;
        let d = document::get(self.db(), id)
            .await?
            .filter(|d| d.patient_ins == ins);
        let Some(d) = d else {
            return Err(DmpError::NotFound(id));
        };
        let is_author = DocFacts::from(&d).author_rpps == Some(pro.rpps.as_str());
        if !is_author && settings.medecin_traitant.as_deref() != Some(pro.rpps.as_str()) {
            return Err(DmpError::Denied(
                "Seuls l'auteur et le médecin traitant rendent un document visible au patient."
                    .into(),
            ));
        }
        document::release_to_patient(self.db(), id).await?;
        self.pro_audit(
            pro,
            ins,
            Action::ReleaseToPatient,
            Some((id, &d.meta.title)),
            &Mode::Normal,
        )
        .await
    }

    /// Deletes a document: only its author may (DESIGN §7).
    pub async fn pro_delete(&self, pro: &Professional, ins: &str, id: i64) -> Result<()> {
        self.pro_open(pro, ins, &Mode::Normal).await?;
        let d = document::get(self.db(), id)
            .await?
            .filter(|d| d.patient_ins == ins);
        let Some(d) = d else {
            return Err(DmpError::NotFound(id));
        };
        if DocFacts::from(&d).author_rpps != Some(pro.rpps.as_str()) {
            return Err(DmpError::Denied(
                "Seul l'auteur d'un document peut le supprimer.".into(),
            ));
        }
        document::delete(self.db(), id).await?;
        self.pro_audit(
            pro,
            ins,
            Action::Delete,
            Some((id, &d.meta.title)),
            &Mode::Normal,
        )
        .await
    }
}
