//! What the webmail calls for a citizen (or a parent acting for a child): documents by
//! category, download, hide/unhide, delete their own, upload, file a mail attachment or an XDM
//! package, médecin traitant, blocked professionals, oppositions, history, export.
//! Every action is written to the audit trail. The webmail authenticates the citizen and checks
//! guardianship (`directory::accounts::is_guardian`) before building a [`Citizen`].

use std::io::Cursor;

use serde::{Deserialize, Serialize};

use crate::access::{PatientSettings, Viewer, visible_to};
use crate::audit::{self, Action, Actor, AuditEntry};
use crate::categories::{Category, suggest_for_attachment};
use crate::document::{self, AuthorKind, Document, DocumentMeta, Source, Visibility};
use crate::error::{DmpError, Result};
use crate::xdm::file::{Filed, Staged};
use crate::{Dmp, Mode, patient};

/// Who is acting on the citizen side, and on whose record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    /// The patient whose record this is (INS).
    pub patient_ins: String,
    actor: Actor,
}

impl Citizen {
    /// The patient acting on their own record.
    pub fn patient(ins: &str) -> Citizen {
        Citizen {
            patient_ins: ins.to_string(),
            actor: Actor::Patient(ins.to_string()),
        }
    }
    /// A legal representative (`guardian_nir`) acting for the minor `child_ins`.
    pub fn guardian(child_ins: &str, guardian_nir: &str) -> Citizen {
        Citizen {
            patient_ins: child_ins.to_string(),
            actor: Actor::Guardian(guardian_nir.to_string()),
        }
    }
    pub fn viewer(&self) -> Viewer {
        match self.actor {
            Actor::Guardian(_) => Viewer::Guardian,
            _ => Viewer::Patient,
        }
    }
}

/// A file the citizen adds (upload, or a mail attachment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFile {
    pub title: String,
    /// `None`: suggested from the MIME type and file name.
    pub category: Option<Category>,
    pub mime_type: String,
    pub file_name: String,
    /// For a mail attachment: the sender's address, kept as the document's origin.
    pub origin: Option<String>,
}

/// The citizen's documents of one category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryGroup {
    pub category: Category,
    pub label: &'static str,
    pub documents: Vec<Document>,
}

impl Dmp {
    async fn audit_citizen(
        &self,
        who: &Citizen,
        action: Action,
        doc: Option<(i64, &str)>,
    ) -> Result<()> {
        audit::record(
            self.db(),
            &who.patient_ins,
            &who.actor,
            action,
            doc,
            &Mode::Normal,
            None,
        )
        .await
    }

    /// The documents this citizen sees, newest first.
    pub async fn citizen_documents(&self, who: &Citizen) -> Result<Vec<Document>> {
        let viewer = who.viewer();
        let docs = document::list(self.db(), &who.patient_ins).await?;
        Ok(docs
            .into_iter()
            .filter(|d| visible_to(viewer, &d.meta.visibility))
            .collect())
    }

    /// The documents grouped by the 8 categories, in display order (empty ones included).
    pub async fn citizen_by_category(&self, who: &Citizen) -> Result<Vec<CategoryGroup>> {
        let docs = self.citizen_documents(who).await?;
        Ok(Category::ALL
            .into_iter()
            .map(|c| CategoryGroup {
                category: c,
                label: c.label(),
                documents: docs
                    .iter()
                    .filter(|d| d.meta.category == c)
                    .cloned()
                    .collect(),
            })
            .collect())
    }

    /// One document the citizen sees (not found otherwise: never say it exists).
    pub async fn citizen_document(&self, who: &Citizen, id: i64) -> Result<Document> {
        match document::get(self.db(), id).await? {
            Some(d)
                if d.patient_ins == who.patient_ins
                    && visible_to(who.viewer(), &d.meta.visibility) =>
            {
                Ok(d)
            }
            _ => Err(DmpError::NotFound(id)),
        }
    }

    /// The document and its content, checked against its SHA-256, for download.
    pub async fn citizen_download(&self, who: &Citizen, id: i64) -> Result<(Document, Vec<u8>)> {
        let d = self.citizen_document(who, id).await?;
        let bytes = self.blobs().get_verified(&d.blob()?).await?;
        Ok((d, bytes))
    }

    /// The document and its content as a file to stream (large images, CDA with attachments).
    pub async fn citizen_open(
        &self,
        who: &Citizen,
        id: i64,
    ) -> Result<(Document, tokio::fs::File)> {
        let d = self.citizen_document(who, id).await?;
        let f = self.blobs().open_read(&d.blob()?).await?;
        Ok((d, f))
    }

    /// Hides a document from professionals (`true`) or shows it again. The author and the
    /// médecin traitant always keep it (access.rs).
    pub async fn citizen_set_hidden(&self, who: &Citizen, id: i64, hidden: bool) -> Result<()> {
        let d = self.citizen_document(who, id).await?;
        document::set_hidden_by_patient(self.db(), id, hidden).await?;
        let action = if hidden { Action::Hide } else { Action::Unhide };
        self.audit_citizen(who, action, Some((id, &d.meta.title)))
            .await
    }

    /// Deletes a document the citizen put in their record themselves (upload, mail attachment,
    /// XDM they filed). Documents deposited by a professional are the author's to delete.
    pub async fn citizen_delete(&self, who: &Citizen, id: i64) -> Result<()> {
        let d = self.citizen_document(who, id).await?;
        if d.meta.source == Source::Api {
            return Err(DmpError::Denied(
                "Seul le professionnel qui a déposé ce document peut le supprimer. Vous pouvez le \
                 masquer aux professionnels."
                    .into(),
            ));
        }
        document::delete(self.db(), id).await?;
        self.audit_citizen(who, Action::Delete, Some((id, &d.meta.title)))
            .await
    }

    /// Adds a file of the citizen: an upload (`Source::Upload`) or a mail attachment
    /// (`Source::Mail`). The blob is fsynced before the row is committed.
    pub async fn citizen_add_file(
        &self,
        who: &Citizen,
        file: NewFile,
        content: &[u8],
        source: Source,
    ) -> Result<Document> {
        if content.len() as u64 > self.max_document_bytes() {
            return Err(DmpError::Invalid(format!(
                "Le document est trop volumineux (au plus {} Mo).",
                self.max_document_bytes() / 1_000_000
            )));
        }
        let title = file.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(DmpError::Invalid(
                "Donnez au document un titre (200 caractères au plus).".into(),
            ));
        }
        let category = file
            .category
            .unwrap_or_else(|| suggest_for_attachment(&file.mime_type, &file.file_name));
        let now = store::db::now_unix();
        let meta = DocumentMeta {
            unique_id: document::new_unique_id(content),
            title: title.to_string(),
            category,
            type_code: None,
            type_label: None,
            class_code: Some("90".into()),
            format_code: None,
            mime_type: file.mime_type,
            file_name: file.file_name,
            author_kind: AuthorKind::Patient,
            author_id: Some(who.patient_ins.clone()),
            author_name: None,
            author_structure: file.origin,
            created_at: now,
            source,
            visibility: Visibility::default(),
        };
        let mut writer = self.blobs().writer().await?;
        writer.write(content).await?;
        let filed = self
            .commit_staged(&who.patient_ins, vec![Staged { meta, writer }])
            .await?;
        let id = filed
            .ids
            .first()
            .copied()
            .ok_or(DmpError::Internal("no id".into()))?;
        let action = if source == Source::Mail {
            Action::FileAttachment
        } else {
            Action::Upload
        };
        self.audit_citizen(who, action, Some((id, title))).await?;
        document::get(self.db(), id)
            .await?
            .ok_or(DmpError::NotFound(id))
    }

    /// Files an IHE XDM package (an attachment `IHE_XDM.ZIP`, or the citizen's own export):
    /// all of its documents or none; its patient must be this record's INS.
    pub async fn citizen_file_xdm(&self, who: &Citizen, package: Vec<u8>) -> Result<Filed> {
        let filed = self
            .file_xdm(&who.patient_ins, Cursor::new(package), Source::Xdm)
            .await?;
        self.audit_citizen(who, Action::FileXdm, None).await?;
        Ok(filed)
    }

    /// The whole record as one XDM zip (what the citizen sees), e.g. before closing the account.
    pub async fn citizen_export(&self, who: &Citizen) -> Result<Vec<u8>> {
        let docs = self.citizen_documents(who).await?;
        let out = self
            .write_xdm(&who.patient_ins, docs, Cursor::new(Vec::new()))
            .await?;
        self.audit_citizen(who, Action::Export, None).await?;
        Ok(out.into_inner())
    }

    /// Current choices: médecin traitant, blocked professionals, oppositions.
    pub async fn citizen_settings(&self, who: &Citizen) -> Result<PatientSettings> {
        patient::settings(self.db(), &who.patient_ins).await
    }

    /// Designates (RPPS) or removes (`None`) the médecin traitant.
    pub async fn citizen_set_medecin_traitant(
        &self,
        who: &Citizen,
        rpps: Option<&str>,
    ) -> Result<()> {
        patient::set_medecin_traitant(self.db(), &who.patient_ins, rpps).await?;
        self.audit_citizen(who, Action::DesignateMedecinTraitant, None)
            .await
    }

    /// Blocks (`true`) or unblocks a professional by RPPS.
    pub async fn citizen_set_blocked(
        &self,
        who: &Citizen,
        rpps: &str,
        blocked: bool,
    ) -> Result<()> {
        patient::set_blocked(self.db(), &who.patient_ins, rpps, blocked).await?;
        let action = if blocked {
            Action::Block
        } else {
            Action::Unblock
        };
        self.audit_citizen(who, action, None).await
    }

    /// Opposes (or no longer opposes) break-glass and SAMU regulation access.
    pub async fn citizen_set_oppositions(
        &self,
        who: &Citizen,
        oppose_break_glass: bool,
        oppose_samu: bool,
    ) -> Result<()> {
        patient::set_oppositions(self.db(), &who.patient_ins, oppose_break_glass, oppose_samu)
            .await?;
        self.audit_citizen(who, Action::Oppositions, None).await
    }

    /// "Historique des accès": every action on the record, newest first.
    pub async fn citizen_history(&self, who: &Citizen) -> Result<Vec<AuditEntry>> {
        audit::history(self.db(), &who.patient_ins).await
    }
}
