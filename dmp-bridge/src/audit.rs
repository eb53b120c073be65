//! The audit trail the citizen reads ("Historique des accès": who, what, when, why) and the
//! notification of the citizen when a professional acts on their record (DESIGN.md §7).
//!
//! Every professional action is written to `dmp_audit` in the same call that performs it, then
//! the citizen is notified through [`CitizenNotifier`] (the webmail implements it with its mail
//! relay). A failed notification is logged, never undoes the action: the audit row is the record.

use futures::future::BoxFuture;
use serde::Serialize;
use sqlx::Row;
use store::Db;

use crate::access::{Mode, Professional};
use crate::error::Result;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    ListDocuments,
    ReadDocument,
    Deposit,
    AccessRefused,
    ReleaseToPatient,
    Hide,
    Unhide,
    Delete,
    Upload,
    FileAttachment,
    FileXdm,
    Export,
    DesignateMedecinTraitant,
    Block,
    Unblock,
    Oppositions,
    /// The médecin traitant read the medical profile (health crate, professional API).
    ProfileRead,
    ProfileAdd,
    ProfileEdit,
    ProfileDelete,
    MeasureAdd,
    MeasureDelete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ListDocuments => "list_documents",
            Action::ReadDocument => "read_document",
            Action::Deposit => "deposit",
            Action::AccessRefused => "access_refused",
            Action::ReleaseToPatient => "release_to_patient",
            Action::Hide => "hide",
            Action::Unhide => "unhide",
            Action::Delete => "delete",
            Action::Upload => "upload",
            Action::FileAttachment => "file_attachment",
            Action::FileXdm => "file_xdm",
            Action::Export => "export",
            Action::DesignateMedecinTraitant => "designate_medecin_traitant",
            Action::Block => "block",
            Action::Unblock => "unblock",
            Action::Oppositions => "oppositions",
            Action::ProfileRead => "profile_read",
            Action::ProfileAdd => "profile_add",
            Action::ProfileEdit => "profile_edit",
            Action::ProfileDelete => "profile_delete",
            Action::MeasureAdd => "measure_add",
            Action::MeasureDelete => "measure_delete",
        }
    }

    const ALL: [Action; 22] = [
        Action::ListDocuments,
        Action::ReadDocument,
        Action::Deposit,
        Action::AccessRefused,
        Action::ReleaseToPatient,
        Action::Hide,
        Action::Unhide,
        Action::Delete,
        Action::Upload,
        Action::FileAttachment,
        Action::FileXdm,
        Action::Export,
        Action::DesignateMedecinTraitant,
        Action::Block,
        Action::Unblock,
        Action::Oppositions,
        Action::ProfileRead,
        Action::ProfileAdd,
        Action::ProfileEdit,
        Action::ProfileDelete,
        Action::MeasureAdd,
        Action::MeasureDelete,
    ];

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The words the citizen reads in the history.
    pub fn label(self) -> &'static str {
        match self {
            Action::ListDocuments => "a consulté la liste de vos documents",
            Action::ReadDocument => "a consulté un document",
            Action::Deposit => "a ajouté un document",
            Action::AccessRefused => "a tenté d'accéder à votre dossier (accès refusé)",
            Action::ReleaseToPatient => "a rendu un document visible pour vous",
            Action::Hide => "a masqué un document aux professionnels",
            Action::Unhide => "a rendu un document visible aux professionnels",
            Action::Delete => "a supprimé un document",
            Action::Upload => "a ajouté un document personnel",
            Action::FileAttachment => "a classé une pièce jointe",
            Action::FileXdm => "a classé un paquet de documents",
            Action::Export => "a téléchargé l'ensemble des documents",
            Action::DesignateMedecinTraitant => "a changé de médecin traitant",
            Action::Block => "a bloqué un professionnel",
            Action::Unblock => "a débloqué un professionnel",
            Action::Oppositions => "a modifié les accès en urgence",
            Action::ProfileRead => "a consulté le profil médical",
            Action::ProfileAdd => "a ajouté une information au profil médical",
            Action::ProfileEdit => "a modifié une information du profil médical",
            Action::ProfileDelete => "a supprimé une information du profil médical",
            Action::MeasureAdd => "a ajouté une mesure au profil médical",
            Action::MeasureDelete => "a supprimé une mesure du profil médical",
        }
    }
}

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Professional(Professional),
    /// The patient (INS).
    Patient(String),
    /// A legal representative (their own NIR) acting for a minor.
    Guardian(String),
}

impl Actor {
    fn kind(&self) -> &'static str {
        match self {
            Actor::Professional(_) => "professional",
            Actor::Patient(_) => "patient",
            Actor::Guardian(_) => "guardian",
        }
    }
    fn id(&self) -> &str {
        match self {
            Actor::Professional(p) => &p.rpps,
            Actor::Patient(ins) | Actor::Guardian(ins) => ins,
        }
    }
}

/// One line of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub patient_ins: String,
    /// Unix seconds.
    pub at: i64,
    /// `professional`, `patient` or `guardian`.
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    /// The French sentence of the action.
    pub action_label: String,
    pub document_id: Option<i64>,
    pub document_title: Option<String>,
    /// `normal`, `break_glass` or `samu`.
    pub mode: String,
    /// The break-glass justification, or why access was refused.
    pub reason: Option<String>,
}

/// Something a professional did that the citizen is told about by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentEvent {
    pub patient_ins: String,
    pub professional: Professional,
    pub action: Action,
    pub mode: String,
    pub at: i64,
}

impl DocumentEvent {
    /// The notification text: who and what, never a document's title or content (an e-mail
    /// leaves the space of trust's storage; details stay in the history behind the login).
    pub fn summary_fr(&self) -> String {
        let who = self
            .professional
            .name
            .clone()
            .unwrap_or_else(|| format!("Le professionnel RPPS {}", self.professional.rpps));
        let urgency = match self.mode.as_str() {
            "break_glass" => " en mode urgence (bris de glace)",
            "samu" => " depuis le centre de régulation du SAMU",
            _ => "",
        };
        format!(
            "{who} {}{urgency} dans votre dossier médical. Retrouvez le détail dans « Historique \
             des accès » de votre espace santé.",
            self.action.label()
        )
    }
}

/// Sends the citizen a notification of a professional's action (the webmail's e-mail relay).
pub trait CitizenNotifier: Send + Sync {
    fn notify(&self, event: DocumentEvent) -> BoxFuture<'_, ()>;
}

/// A notifier that only logs; for tests and a server without a relay.
#[derive(Debug, Default, Clone)]
pub struct LogNotifier;

impl CitizenNotifier for LogNotifier {
    fn notify(&self, event: DocumentEvent) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            tracing::info!(action = event.action.as_str(), rpps = %event.professional.rpps,
                "DMP notification (no relay configured)");
        })
    }
}

/// Records what a professional did outside the documents (the medical profile of the `health`
/// crate) in the same history, and notifies the citizen exactly as for a DMP action. `item` is
/// the changed entry's id and the words shown in the history's "Document" column.
pub async fn record_professional(
    dmp: &crate::Dmp,
    patient_ins: &str,
    pro: &Professional,
    action: Action,
    item: Option<(i64, &str)>,
) -> Result<()> {
    let actor = Actor::Professional(pro.clone());
    record(
        dmp.db(),
        patient_ins,
        &actor,
        action,
        item,
        &Mode::Normal,
        None,
    )
    .await?;
    let event = DocumentEvent {
        patient_ins: patient_ins.to_string(),
        professional: pro.clone(),
        action,
        mode: Mode::Normal.as_str().to_string(),
        at: store::db::now_unix(),
    };
    dmp.notifier().notify(event).await;
    Ok(())
}

/// Appends one line to the patient's history.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    db: &Db,
    patient_ins: &str,
    actor: &Actor,
    action: Action,
    document: Option<(i64, &str)>,
    mode: &Mode,
    reason: Option<&str>,
) -> Result<()> {
    let name = match actor {
        Actor::Professional(p) => p.name.clone(),
        _ => None,
    };
    let reason = reason.or(mode.reason()).map(str::to_string);
    sqlx::query(
        "INSERT INTO dmp_audit (patient_ins, at, actor_kind, actor_id, actor_name, action, \
         document_id, document_title, mode, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(patient_ins.to_string())
    .bind(store::db::now_unix())
    .bind(actor.kind())
    .bind(actor.id().to_string())
    .bind(name)
    .bind(action.as_str())
    .bind(document.map(|d| d.0))
    .bind(document.map(|d| d.1.to_string()))
    .bind(mode.as_str())
    .bind(reason)
    .execute(db.pool())
    .await?;
    tracing::info!(
        action = action.as_str(),
        actor = actor.kind(),
        mode = mode.as_str(),
        document = document.map(|d| d.0),
        "DMP audit"
    );
    Ok(())
}

/// The patient's history, newest first.
pub async fn history(db: &Db, patient_ins: &str) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT id, patient_ins, at, actor_kind, actor_id, actor_name, action, document_id, \
         document_title, mode, reason FROM dmp_audit WHERE patient_ins = $1 \
         ORDER BY at DESC, id DESC",
    )
    .bind(patient_ins.to_string())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let action: String = r.try_get("action")?;
            Ok(AuditEntry {
                id: r.try_get("id")?,
                patient_ins: r.try_get("patient_ins")?,
                at: r.try_get("at")?,
                actor_kind: r.try_get("actor_kind")?,
                actor_id: r.try_get("actor_id")?,
                actor_name: r.try_get("actor_name")?,
                action_label: Action::parse(&action)
                    .map(|a| a.label().to_string())
                    .unwrap_or_default(),
                action,
                document_id: r.try_get("document_id")?,
                document_title: r.try_get("document_title")?,
                mode: r.try_get("mode")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}
