//! The new-mail notification (issue 6): when a message lands in a citizen's INBOX, an e-mail
//! "vous avez un nouveau message" goes to their personal address, unless they turned it off.
//! Children's mail is announced to their guardians. At most one notice per mailbox every
//! `QUIET_SECS`, so a burst of results does not become a burst of e-mails.

use std::collections::HashMap;

use store::{ChangeKind, SpecialUse};
use tokio::sync::broadcast::error::RecvError;

use crate::state::AppState;

const QUIET_SECS: i64 = 15 * 60;

/// Runs until the change stream closes.
pub async fn run(state: AppState) {
    let mut rx = match state.db.subscribe().await {
        Ok(rx) => rx,
        Err(e) => {
            tracing::error!(error = %e, "new-mail notifications disabled: no change stream");
            return;
        }
    };
    let mut last: HashMap<String, i64> = HashMap::new();
    loop {
        let change = match rx.recv().await {
            Ok(c) => c,
            // Missed changes are only missed notices; the mail itself is safe.
            Err(RecvError::Lagged(n)) => {
                tracing::warn!(missed = n, "new-mail notifier lagged");
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        if change.kind != ChangeKind::Append {
            continue;
        }
        let now = state.now();
        if last
            .get(&change.account)
            .is_some_and(|t| now - t < QUIET_SECS)
        {
            continue;
        }
        match notify_one(&state, &change.account, change.mailbox_id).await {
            Ok(true) => {
                last.insert(change.account.clone(), now);
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "new-mail notification failed"),
        }
        last.retain(|_, t| now - *t < QUIET_SECS);
    }
}

/// Sends the notices for one delivery; true if something was sent.
async fn notify_one(state: &AppState, account: &str, mailbox_id: i64) -> Result<bool, String> {
    let Some(mb) = state
        .db
        .mailbox(mailbox_id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(false);
    };
    if mb.special_use != Some(SpecialUse::Inbox) && mb.name != "INBOX" {
        return Ok(false);
    }
    let Some(acc) = directory::accounts::account(&state.db, account)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(false); // not a citizen: professionals have their own mail clients
    };
    let name = crate::views::display_name(&acc);
    // A child's mail is announced to the guardians; an adult's to themselves.
    let mut who = vec![acc.address.clone()];
    if acc.is_minor {
        who.clear();
        for g in directory::accounts::guardians_of(&state.db, &acc.nir)
            .await
            .map_err(|e| e.to_string())?
        {
            if let Some(ga) = directory::accounts::account(&state.db, &g)
                .await
                .map_err(|e| e.to_string())?
            {
                who.push(ga.address);
            }
        }
    }
    let mut sent = false;
    for address in who {
        let prefs = crate::prefs::get(&state.db, &address)
            .await
            .map_err(|e| e.to_string())?;
        if !prefs.notify_new_mail {
            continue;
        }
        let contact = directory::contacts::contact(&state.db, &address)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(email) = contact.email {
            state
                .notifier
                .new_mail(&email, &name)
                .await
                .map_err(|e| e.to_string())?;
            sent = true;
        }
    }
    Ok(sent)
}
