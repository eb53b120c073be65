//! The demo identities and the table printed for the newcomer.

use std::fmt::Write as _;
use std::path::Path;

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    /// A professional with a personal certificate (RPPS).
    Person { rpps: &'static str },
    /// An organisation mailbox (BAL ORG) shared by its members.
    Org { structure: &'static str },
    /// An application mailbox (BAL APP): software, e.g. a lab's.
    App { structure: &'static str },
    /// A citizen (webmail only).
    Citizen { nir: &'static str },
}

#[derive(Debug, Clone, Copy)]
pub struct DemoIdentity {
    pub role: &'static str,
    pub address: &'static str,
    pub given_name: &'static str,
    pub surname: &'static str,
    pub kind: IdentityKind,
    pub password: &'static str,
}

/// The password protecting every demo `.p12` file.
pub const P12_PASSWORD: &str = "santemail-demo";

/// Everyone the demo knows. The professionals and structures come from the embedded directory
/// extracts; the citizens from the embedded insured register (Camille MARTIN is the guardian of
/// Lou and Sacha).
pub const DEMO_IDENTITIES: &[DemoIdentity] = &[
    DemoIdentity {
        role: "Médecin généraliste",
        address: "camille.martin@medecin.mssante.example",
        given_name: "Camille",
        surname: "MARTIN",
        kind: IdentityKind::Person {
            rpps: "10284642892",
        },
        password: "demo-medecin-2026",
    },
    DemoIdentity {
        role: "Infirmier",
        address: "hugo.le-gall@infirmier.mssante.example",
        given_name: "Hugo",
        surname: "LE GALL",
        kind: IdentityKind::Person {
            rpps: "10799556063",
        },
        password: "demo-infirmier-2026",
    },
    DemoIdentity {
        role: "Pharmacien (officine du Centre)",
        address: "noe.blanc@pharmacien.mssante.example",
        given_name: "Noé",
        surname: "BLANC",
        kind: IdentityKind::Person {
            rpps: "10694640702",
        },
        password: "demo-pharmacien-2026",
    },
    DemoIdentity {
        role: "Officine (BAL ORG)",
        address: "du-centre-37000@pharmacie.mssante.example",
        given_name: "",
        surname: "Pharmacie du Centre",
        kind: IdentityKind::Org {
            structure: "379836900",
        },
        password: "demo-officine-2026",
    },
    DemoIdentity {
        role: "Service hospitalier (BAL ORG)",
        address: "cardiologie@chu-exemple.mssante.example",
        given_name: "",
        surname: "CHU Exemple, cardiologie",
        kind: IdentityKind::Org {
            structure: "370000481",
        },
        password: "demo-cardiologie-2026",
    },
    DemoIdentity {
        role: "Laboratoire (BAL APP)",
        address: "automate@labo-bio.mssante.example",
        given_name: "",
        surname: "Laboratoire Bio Exemple",
        kind: IdentityKind::App {
            structure: "12345678900017",
        },
        password: "demo-laboratoire-2026",
    },
    DemoIdentity {
        role: "Patiente (parent de Lou et Sacha)",
        address: "240013700100130@patient.mssante.example",
        given_name: "Camille",
        surname: "MARTIN",
        kind: IdentityKind::Citizen {
            nir: "240013700100130",
        },
        password: "demo-patiente-2026",
    },
    DemoIdentity {
        role: "Patient",
        address: "143024503800277@patient.mssante.example",
        given_name: "Chloé",
        surname: "GARNIER",
        kind: IdentityKind::Citizen {
            nir: "143024503800277",
        },
        password: "demo-patient-2026",
    },
];

/// The table printed at every start (and written to `DIR/IDENTITES.txt`).
pub fn table(dir: &Path, config: &Config) -> String {
    let host = "127.0.0.1";
    let port = |addr: &str| addr.rsplit(':').next().unwrap_or("").to_string();
    let pki = config.pki_dir();
    let mut t = String::new();
    let _ = writeln!(t, "santemail demo — {}", dir.display());
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "Listeners (TLS certificates from the dev PKI; trust {}):",
        pki.join("ca-bundle.pem").display()
    );
    let rows = [
        ("SMTP MTA (operators)", &config.smtp.mta),
        ("SMTP submission STARTTLS", &config.smtp.submission),
        ("SMTP submission TLS", &config.smtp.submissions),
        ("IMAP STARTTLS", &config.imap.imap),
        ("IMAP TLS", &config.imap.imaps),
        ("Webmail + DMP API (HTTPS)", &config.webmail.https),
    ];
    for (name, addr) in rows {
        if !addr.is_empty() {
            let _ = writeln!(t, "  {name:<28} {host}:{}", port(addr));
        }
    }
    let _ = writeln!(
        t,
        "  {:<28} https://localhost:{}/",
        "Webmail in a browser",
        port(&config.webmail.https)
    );
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "{:<34} {:<44} {:<24} client certificate (.p12, password {P12_PASSWORD})",
        "who", "login", "password"
    );
    for id in DEMO_IDENTITIES {
        let cert = match id.kind {
            IdentityKind::Citizen { .. } => "— (webmail: password + code)".to_string(),
            _ => dir
                .join("p12")
                .join(format!("{}.p12", id.address))
                .display()
                .to_string(),
        };
        let login = match id.kind {
            IdentityKind::Citizen { nir } => nir.to_string(),
            _ => id.address.to_string(),
        };
        let _ = writeln!(
            t,
            "{:<34} {:<44} {:<24} {cert}",
            id.role, login, id.password
        );
    }
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "One-time codes and e-mails to citizens are written to {} and printed here.",
        dir.join("outbox").display()
    );
    let _ = writeln!(
        t,
        "Ctrl-C stops the demo; run the same command again to continue where you left."
    );
    t
}
