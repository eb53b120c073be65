//! The database side of the policy: who is this address ([`resolve`]), and may this message go
//! ([`check`]), by loading the parties and the permits and calling the pure [`crate::policy::decide`].

use store::Db;

use crate::DirectoryError;
use crate::accounts;
use crate::lookup;
use crate::model::{Address, ascii_domain};
use crate::permits;
use crate::policy::{Decision, Guardian, Party, Permit, PolicyInput, decide};

/// Whether `domain` (ASCII form) is one of ours. Our own domains are in the space even when the
/// national whitelist does not list them (docs/decisions.md).
fn is_local(domain: &str, local_domains: &[String]) -> bool {
    local_domains
        .iter()
        .any(|d| ascii_domain(d).is_some_and(|d| d == domain))
}

/// Who `address` is: a directory mailbox, a citizen, an unknown address of the space, or an
/// address outside it. `local_domains` are the domains this server hosts (`config.local_domains()`).
pub async fn resolve(
    db: &Db,
    address: &str,
    local_domains: &[String],
) -> Result<Party, DirectoryError> {
    let parsed =
        Address::parse(address).ok_or_else(|| DirectoryError::BadAddress(address.into()))?;
    let norm = parsed.normalized();
    if let Some(m) = lookup::mailbox(db, &norm).await? {
        return Ok(Party::Mailbox {
            address: norm,
            kind: m.kind,
            pharmacy: m.pharmacy,
            active: m.active,
        });
    }
    if let Some(acc) = accounts::account(db, &norm).await? {
        // `account` also accepts a NIR; make sure it is this very address.
        if acc.address == norm {
            return Ok(Party::Citizen {
                address: norm,
                nir: acc.nir,
                state: acc.state,
                in_register: acc.in_register,
            });
        }
    }
    if is_local(&parsed.domain, local_domains) {
        return Ok(Party::Unknown {
            address: norm,
            local: true,
        });
    }
    if lookup::is_whitelisted(db, &parsed.domain).await? {
        return Ok(Party::Unknown {
            address: norm,
            local: false,
        });
    }
    Ok(Party::Outside { address: norm })
}

/// May `from` write to `to`? Every refusal is logged with its reason (never any content).
pub async fn check(
    db: &Db,
    from: &str,
    to: &str,
    local_domains: &[String],
) -> Result<Decision, DirectoryError> {
    check_as(db, from, to, local_domains, None).await
}

/// [`check`] for the webmail, where `guardian` is the authenticated parent when `from` is a
/// child's profile used by that parent: the parent must be a registered legal guardian, and the
/// child's permits apply.
pub async fn check_as(
    db: &Db,
    from: &str,
    to: &str,
    local_domains: &[String],
    guardian: Option<&str>,
) -> Result<Decision, DirectoryError> {
    let sender = resolve(db, from, local_domains).await?;
    let recipient = resolve(db, to, local_domains).await?;
    let guardian_party = match guardian {
        Some(g) => Some((
            resolve(db, g, local_domains).await?,
            accounts::is_guardian(db, g, from).await?,
        )),
        None => None,
    };
    let permits: Vec<Permit> = match &sender {
        Party::Citizen { address, .. } => permits::permits_of(db, address)
            .await?
            .iter()
            .map(permits::PermitRecord::to_permit)
            .collect(),
        _ => Vec::new(),
    };
    let decision = decide(&PolicyInput {
        sender: &sender,
        recipient: &recipient,
        permits: &permits,
        guardian: guardian_party.as_ref().map(|(party, linked)| Guardian {
            party,
            linked: *linked,
        }),
    });
    if let Decision::Deny(d) = &decision {
        tracing::info!(
            from = sender.address(),
            to = recipient.address(),
            code = d.enhanced(),
            reason = %d.log_reason(),
            "policy refused"
        );
    }
    Ok(decision)
}

/// The ORG mailboxes a professional may also send as: the active ORG mailboxes of the structure
/// their own (PER) mailbox is attached to in the MSSanté extract.
pub async fn org_mailboxes_of(db: &Db, address: &str) -> Result<Vec<String>, DirectoryError> {
    let Some(address) = crate::model::normalize_address(address) else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_scalar(
        "SELECT o.address FROM dir_mailbox o JOIN dir_mailbox p ON p.structure_id = o.structure_id \
         WHERE p.address = $1 AND p.kind = 'PER' AND p.active AND o.kind = 'ORG' AND o.active \
         ORDER BY o.address",
    )
    .bind(address)
    .fetch_all(db.pool())
    .await?)
}
