//! The messaging policy of the space of trust (DESIGN §4), as one pure function: plain data in,
//! a decision out. [`crate::resolve`] loads the parties from the database and calls [`decide`].
//!
//! | sender → recipient | decision |
//! |---|---|
//! | any → domain neither ours nor whitelisted, or from one | deny 550 5.7.1 |
//! | PER / ORG / APP (or an unknown address of another operator's whitelisted domain) → anyone open | allow |
//! | anyone → unknown local address, an entry gone from the national directory | deny 550 5.1.1 |
//! | anyone → citizen account *pending* | deny 550 5.2.1 (see below) |
//! | anyone → citizen account *opposed* or *closed* | deny 550 5.2.1 |
//! | citizen → citizen | deny 550 5.7.1 (checked first: no account state leaks) |
//! | citizen → pharmacy (ORG mailbox of an officine) | allow |
//! | citizen → professional / ORG / APP with an open permit | allow |
//! | citizen → same, permit ended (`X-MSS-MES: FIN`) or never opened | deny 550 5.7.1 |
//! | citizen whose account is not *active* → anyone | deny 550 5.7.1 |
//! | parent acting for a child | the child's party and permits; the parent must be an active, registered legal guardian |
//!
//! Decisions on account states (also in docs/decisions.md):
//! - **Only an *active* account receives.** A *pending* account is inside its 6-week opposition
//!   period (DESIGN §8): delivering health data to it before the citizen accepted or the period
//!   ran out would defeat the right to oppose, so it refuses with 5.2.1 ("not open yet"); the
//!   account opens itself at the end of the period ([`crate::accounts::open_expired`]) and then
//!   receives. A permanent code is used because the period (6 weeks) is far longer than any
//!   sender's queue lifetime: a 4xx would only bounce later with a vaguer reason.
//! - *Opposed* and *closed* accounts refuse with 5.2.1 (mailbox disabled, RFC 3463 §3.3): the
//!   address exists and may be reactivated, so "unknown user" (5.1.1) would be wrong.
//! - Only an *active* citizen sends; a child's profile is used by a guardian whose own account is
//!   active, and the child's account must be active too (activating a guardian activates their
//!   pending children).

use crate::model::{AccountState, MailboxKind};

/// Who is at one end of a message, as far as the policy needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    /// A mailbox of the national directory (PER / ORG / APP).
    Mailbox {
        address: String,
        kind: MailboxKind,
        /// ORG mailbox of an officine (PS_LibreAcces sector, or marked by the operator).
        pharmacy: bool,
        /// False when a newer extract no longer lists it.
        active: bool,
    },
    /// A citizen's mailbox `<INS>@<citizen domain>`.
    Citizen {
        address: String,
        nir: String,
        state: AccountState,
        /// False when a newer insured register no longer lists the person.
        in_register: bool,
    },
    /// An address in the space (one of our domains, or a whitelisted domain) that the directory
    /// does not know. `local` tells which.
    Unknown { address: String, local: bool },
    /// An address whose domain is neither ours nor on the whitelist.
    Outside { address: String },
}

impl Party {
    pub fn address(&self) -> &str {
        match self {
            Party::Mailbox { address, .. }
            | Party::Citizen { address, .. }
            | Party::Unknown { address, .. }
            | Party::Outside { address } => address,
        }
    }
}

/// A conversation permit of the sending citizen: `pro_address` wrote first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permit {
    pub pro_address: String,
    /// Ended by `X-MSS-MES: FIN` (or a later closing).
    pub ended: bool,
}

/// A parent writing from a child's profile.
#[derive(Debug, Clone, Copy)]
pub struct Guardian<'a> {
    /// The parent's own party (the authenticated user).
    pub party: &'a Party,
    /// Whether the insured register links this parent to the child.
    pub linked: bool,
}

/// Everything the decision depends on.
#[derive(Debug, Clone, Copy)]
pub struct PolicyInput<'a> {
    /// The sending party; the child when a guardian acts for a child.
    pub sender: &'a Party,
    pub recipient: &'a Party,
    /// The permits of the sending citizen (the child's own when a guardian acts for a child);
    /// ignored for other senders.
    pub permits: &'a [Permit],
    pub guardian: Option<Guardian<'a>>,
}

/// Why a message may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// Professionals, organisations and applications write to anyone open in the space.
    ProfessionalSender,
    /// A citizen writes to a pharmacy.
    Pharmacy,
    /// A citizen answers an address that wrote first.
    OpenPermit,
}

/// Why a message may not go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    SenderOutside,
    RecipientOutside,
    SenderUnknown,
    SenderNotActive(AccountState),
    NotGuardian,
    CitizenToCitizen,
    RecipientUnknown,
    RecipientNotOpenYet,
    RecipientDisabled(AccountState),
    NoPermit,
    PermitEnded,
}

/// A refusal: the SMTP reply and the words for a citizen come from the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denial {
    pub reason: DenyReason,
}

impl Denial {
    /// The SMTP basic code (RFC 5321 §4.2): every refusal is permanent.
    pub fn code(&self) -> u16 {
        550
    }

    /// The enhanced status code (RFC 3463).
    pub fn enhanced(&self) -> &'static str {
        match self.reason {
            // X.1.1 bad destination mailbox address.
            DenyReason::RecipientUnknown => "5.1.1",
            // X.2.1 mailbox disabled, not accepting messages.
            DenyReason::RecipientNotOpenYet | DenyReason::RecipientDisabled(_) => "5.2.1",
            // X.7.1 delivery not authorized, message refused.
            _ => "5.7.1",
        }
    }

    /// An English reason for logs and SMTP replies (no message content, no personal data).
    pub fn log_reason(&self) -> String {
        match self.reason {
            DenyReason::SenderOutside => "sender domain is outside the space of trust".into(),
            DenyReason::RecipientOutside => {
                "recipient domain is outside the space of trust (not whitelisted)".into()
            }
            DenyReason::SenderUnknown => "sender address unknown to the directory".into(),
            DenyReason::SenderNotActive(s) => format!("sender account is {}", s.as_str()),
            DenyReason::NotGuardian => "sender is not a registered legal guardian of this child \
                                        (or the guardian's account is not active)"
                .into(),
            DenyReason::CitizenToCitizen => "a citizen may not write to another citizen".into(),
            DenyReason::RecipientUnknown => "recipient mailbox unknown".into(),
            DenyReason::RecipientNotOpenYet => {
                "recipient account not open yet (opposition period)".into()
            }
            DenyReason::RecipientDisabled(s) => format!("recipient account is {}", s.as_str()),
            DenyReason::NoPermit => {
                "a citizen may only answer a professional who wrote first".into()
            }
            DenyReason::PermitEnded => {
                "the professional ended this conversation (X-MSS-MES: FIN)".into()
            }
        }
    }

    /// A plain French sentence for the citizen (webmail).
    pub fn citizen_text(&self) -> &'static str {
        match self.reason {
            DenyReason::SenderOutside => {
                "L'expéditeur ne fait pas partie de la messagerie sécurisée de santé."
            }
            DenyReason::RecipientOutside => {
                "Vous pouvez écrire seulement à des adresses de la messagerie sécurisée de santé \
                 (professionnels et établissements de santé)."
            }
            DenyReason::SenderUnknown => "Votre adresse d'expéditeur n'est pas reconnue.",
            DenyReason::SenderNotActive(_) => {
                "Votre messagerie n'est pas active : activez votre profil pour envoyer des messages."
            }
            DenyReason::NotGuardian => {
                "Vous n'êtes pas enregistré comme représentant légal de cet enfant."
            }
            DenyReason::CitizenToCitizen => {
                "La messagerie de santé ne permet pas d'écrire à un autre patient."
            }
            DenyReason::RecipientUnknown => {
                "Cette adresse n'existe pas dans la messagerie de santé. Vérifiez-la."
            }
            DenyReason::RecipientNotOpenYet => {
                "La messagerie de ce destinataire n'est pas encore ouverte."
            }
            DenyReason::RecipientDisabled(_) => "La messagerie de ce destinataire est fermée.",
            DenyReason::NoPermit => {
                "Vous pouvez répondre à un professionnel de santé seulement s'il vous a écrit \
                 d'abord. Vous pouvez écrire directement à une pharmacie."
            }
            DenyReason::PermitEnded => {
                "Ce professionnel a indiqué que son message n'appelait pas de réponse : vous ne \
                 pouvez pas lui répondre."
            }
        }
    }
}

impl std::fmt::Display for Denial {
    /// `550 5.7.1 <log reason>`: the text of an SMTP reply.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.code(),
            self.enhanced(),
            self.log_reason()
        )
    }
}

/// The outcome of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow(Allowed),
    Deny(Denial),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow(_))
    }
}

fn deny(reason: DenyReason) -> Decision {
    Decision::Deny(Denial { reason })
}

/// May `input.sender` write to `input.recipient`? See the table at the top of this module.
pub fn decide(input: &PolicyInput<'_>) -> Decision {
    let (sender, recipient) = (input.sender, input.recipient);
    if matches!(sender, Party::Outside { .. }) {
        return deny(DenyReason::SenderOutside);
    }
    if matches!(recipient, Party::Outside { .. }) {
        return deny(DenyReason::RecipientOutside);
    }
    if let Some(g) = input.guardian {
        let guardian_ok = matches!(
            g.party,
            Party::Citizen {
                state: AccountState::Active,
                in_register: true,
                ..
            }
        );
        if !g.linked || !guardian_ok || !matches!(sender, Party::Citizen { .. }) {
            return deny(DenyReason::NotGuardian);
        }
    }
    // The sender.
    let sender_is_citizen = match sender {
        Party::Mailbox { active: false, .. } | Party::Unknown { local: true, .. } => {
            return deny(DenyReason::SenderUnknown);
        }
        Party::Citizen {
            in_register: false, ..
        } => return deny(DenyReason::SenderUnknown),
        Party::Citizen { state, .. } if *state != AccountState::Active => {
            return deny(DenyReason::SenderNotActive(*state));
        }
        Party::Citizen { .. } => true,
        // An address of another operator's whitelisted domain that our extract does not list yet
        // (extracts are daily): the operator vouched for it with its certificate.
        Party::Mailbox { .. } | Party::Unknown { local: false, .. } | Party::Outside { .. } => {
            false
        }
    };
    if sender_is_citizen && matches!(recipient, Party::Citizen { .. }) {
        return deny(DenyReason::CitizenToCitizen);
    }
    // The recipient.
    match recipient {
        Party::Mailbox { active: false, .. }
        | Party::Unknown { local: true, .. }
        | Party::Citizen {
            in_register: false, ..
        } => {
            return deny(DenyReason::RecipientUnknown);
        }
        Party::Citizen {
            state: AccountState::Pending,
            ..
        } => {
            return deny(DenyReason::RecipientNotOpenYet);
        }
        Party::Citizen { state, .. } if *state != AccountState::Active => {
            return deny(DenyReason::RecipientDisabled(*state));
        }
        _ => {}
    }
    if !sender_is_citizen {
        return Decision::Allow(Allowed::ProfessionalSender);
    }
    // A citizen writing to a professional, an organisation or an application.
    if let Party::Mailbox {
        kind: MailboxKind::Org,
        pharmacy: true,
        ..
    } = recipient
    {
        return Decision::Allow(Allowed::Pharmacy);
    }
    let to = recipient.address();
    match input.permits.iter().find(|p| p.pro_address == to) {
        Some(Permit { ended: false, .. }) => Decision::Allow(Allowed::OpenPermit),
        Some(Permit { ended: true, .. }) => deny(DenyReason::PermitEnded),
        None => deny(DenyReason::NoPermit),
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
