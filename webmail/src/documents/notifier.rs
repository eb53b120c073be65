//! [`dmp_bridge::CitizenNotifier`] with the webmail's relay: when a professional acts on a
//! record (list, read, deposit, break-glass, SAMU…), the patient gets an e-mail at their
//! personal address; a minor's guardians get it instead. The text is the bridge's
//! [`dmp_bridge::DocumentEvent::summary_fr`]: who and what, never a title or a content. A failure
//! is logged, never returned: the action is already durable and in the history.

use std::sync::Arc;

use dmp_bridge::{CitizenNotifier, DocumentEvent};
use futures::future::BoxFuture;

use crate::notify::Notifier;

/// Subject of the e-mail; says nothing about the document.
pub const SUBJECT: &str = "Activité dans votre dossier médical";

/// Sends the DMP notifications through the webmail's e-mail relay.
pub struct MailNotifier {
    db: store::Db,
    notifier: Arc<Notifier>,
}

impl MailNotifier {
    pub fn new(db: store::Db, notifier: Arc<Notifier>) -> MailNotifier {
        MailNotifier { db, notifier }
    }

    /// The personal addresses to tell about `patient_ins`'s record, with the patient's name.
    async fn recipients(&self, patient_ins: &str) -> Result<(Vec<String>, String), String> {
        let err = |e: directory::DirectoryError| e.to_string();
        let Some(acc) = directory::accounts::account(&self.db, patient_ins)
            .await
            .map_err(err)?
        else {
            return Ok((Vec::new(), String::new()));
        };
        let name = crate::views::display_name(&acc);
        let mut mailboxes = vec![acc.address.clone()];
        if acc.is_minor {
            mailboxes.clear();
            for g in directory::accounts::guardians_of(&self.db, &acc.nir)
                .await
                .map_err(err)?
            {
                if let Some(ga) = directory::accounts::account(&self.db, &g)
                    .await
                    .map_err(err)?
                {
                    mailboxes.push(ga.address);
                }
            }
        }
        let mut out = Vec::new();
        for address in mailboxes {
            if let Some(email) = directory::contacts::contact(&self.db, &address)
                .await
                .map_err(err)?
                .email
            {
                out.push(email);
            }
        }
        Ok((out, name))
    }

    async fn send(&self, event: DocumentEvent) -> Result<usize, String> {
        let (to, name) = self.recipients(&event.patient_ins).await?;
        let body = format!(
            "Bonjour,\n\nDossier médical de {name} :\n{}\n\nMa messagerie santé\n",
            event.summary_fr()
        );
        for email in &to {
            self.notifier
                .email(email, SUBJECT, &body)
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(to.len())
    }
}

impl CitizenNotifier for MailNotifier {
    fn notify(&self, event: DocumentEvent) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let action = event.action.as_str();
            match self.send(event).await {
                Ok(0) => tracing::info!(action, "DMP notification: no personal address"),
                Ok(n) => tracing::info!(action, recipients = n, "DMP notification sent"),
                Err(e) => tracing::warn!(action, error = %e, "DMP notification not sent"),
            }
        })
    }
}
