//! `santemail certs …`: the dev health PKI (init, issue, revoke, CRLs), PKCS#12 bundles, and
//! reading the identity in a certificate. The library behind it is the `certs` crate; the file
//! layout of a dev PKI is documented in `certs/README.md`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use certs::ids::{PersonId, StructureId, StructureKind};
use certs::p12::P12Encryption;
use certs::pki::{self, InitOptions, IssueRequest, Issued, Operator, Pki, Subject, Validity};
use clap::{Args, Subcommand};

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum CertsCmd {
    /// Create a dev PKI shaped like IGC-Santé: root CA, an intermediate for structures, one for
    /// people, their CRLs, and a server certificate per domain.
    Init(InitArgs),
    /// Issue a certificate from the dev PKI.
    #[command(subcommand)]
    Issue(IssueCmd),
    /// Revoke a certificate of the dev PKI and regenerate its CA's CRL.
    Revoke(RevokeArgs),
    /// Re-sign every CRL of the dev PKI (fresh nextUpdate; CRLs are valid 30 days).
    Crl {
        /// PKI folder (default: [tls] pki_dir, else <data_dir>/pki).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Bundle a certificate chain and its key as PKCS#12 for a mail client.
    P12(P12Args),
    /// Print the identity a certificate carries (RPPS, structure, e-mail, DN…) as JSON.
    Show {
        /// PEM file; its first certificate is read.
        cert: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// PKI folder (default: [tls] pki_dir, else <data_dir>/pki).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Domain to issue a server certificate for (repeatable; default: every domain of the config).
    #[arg(long = "domain")]
    domains: Vec<String>,
    /// Operator name in server certificates (O=).
    #[arg(long, default_value = "OPERATEUR EXEMPLE")]
    operator: String,
    /// Operator SIREN in server certificates (OU=0002 <SIREN>).
    #[arg(long, default_value = "123456789")]
    siren: String,
    /// Region in server certificates (ST=); empty for none.
    #[arg(long, default_value = "Tours (37)")]
    region: String,
    /// Label in the CA names, to tell PKIs apart (AC RACINE IGC-SANTE <LABEL>).
    #[arg(long, default_value = "DEV")]
    label: String,
    /// Replace an existing PKI in the folder.
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
pub struct IssueCommon {
    /// PKI folder (default: [tls] pki_dir, else <data_dir>/pki).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Certificate chain file to write; the key goes beside it (.key). Default: in the PKI folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Validity in days from now.
    #[arg(long, default_value_t = Validity::DEFAULT_DAYS, conflicts_with = "expired")]
    days: i64,
    /// Issue an already expired certificate (valid last month, expired yesterday), for tests.
    #[arg(long)]
    expired: bool,
    /// Overwrite existing certificate and key files.
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand, Debug)]
pub enum IssueCmd {
    /// Operator server certificate: SAN <domain>, mx.<domain>, mail.<domain>.
    Server {
        #[command(flatten)]
        common: IssueCommon,
        /// The domain served.
        #[arg(long)]
        domain: String,
        /// Extra DNS name in the certificate (repeatable).
        #[arg(long = "san")]
        extra_names: Vec<String>,
    },
    /// Organisation mailbox (BAL ORG) certificate.
    Org(StructureArgs),
    /// Applicative mailbox (BAL APP, software) certificate.
    App(StructureArgs),
    /// Personal certificate of a professional (RPPS or ADELI in the subject serialNumber).
    Person(PersonArgs),
}

#[derive(Args, Debug)]
pub struct StructureArgs {
    #[command(flatten)]
    common: IssueCommon,
    /// Structure id: FINESS (9 characters), SIRET (14 digits), or prefixed siren:/siret:/finess:.
    #[arg(long)]
    structure: String,
    /// Mailbox address (SAN rfc822Name).
    #[arg(long)]
    email: String,
    /// Structure or software name (O=).
    #[arg(long)]
    name: String,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("id").required(true).args(["rpps", "adeli"])))]
pub struct PersonArgs {
    #[command(flatten)]
    common: IssueCommon,
    /// RPPS: 11 digits (or 8 + 11 digits).
    #[arg(long)]
    rpps: Option<String>,
    /// ADELI: 9 characters (or 0 + 9 characters).
    #[arg(long)]
    adeli: Option<String>,
    /// Given name (GN=, and CN="<given name> <surname>").
    #[arg(long)]
    given_name: String,
    /// Surname (SN=).
    #[arg(long)]
    surname: String,
    /// Mailbox address (SAN rfc822Name).
    #[arg(long)]
    email: String,
    /// Structure where the professional practises (OU=), FINESS by default.
    #[arg(long)]
    structure: Option<String>,
    /// Name of that structure (O=).
    #[arg(long)]
    organization: Option<String>,
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
    /// PKI folder (default: [tls] pki_dir, else <data_dir>/pki).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// RFC 5280 reason.
    #[arg(long, default_value = "unspecified", value_parser = [
        "unspecified", "key-compromise", "ca-compromise", "affiliation-changed", "superseded",
        "cessation-of-operation", "certificate-hold", "privilege-withdrawn"])]
    reason: String,
    /// The certificate to revoke (PEM).
    cert: PathBuf,
}

#[derive(Args, Debug)]
pub struct P12Args {
    /// Certificate chain (PEM, leaf first).
    #[arg(long)]
    cert: PathBuf,
    /// Private key (PEM).
    #[arg(long)]
    key: PathBuf,
    /// PKCS#12 file to write (mode 0600).
    #[arg(long)]
    out: PathBuf,
    /// Import password (default: a random one, printed once). Prefer the environment variable.
    #[arg(long, env = "SANTEMAIL_P12_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// 3DES/SHA-1 encryption for old importers (macOS before 14, old Windows).
    #[arg(long)]
    legacy: bool,
}

pub async fn run(cmd: CertsCmd, config: &Config) -> anyhow::Result<ExitCode> {
    let dir_or = |dir: Option<PathBuf>| dir.unwrap_or_else(|| config.pki_dir());
    match cmd {
        CertsCmd::Init(args) => init(args, dir_or, config)?,
        CertsCmd::Issue(cmd) => issue(cmd, dir_or)?,
        CertsCmd::Revoke(args) => {
            let dir = dir_or(args.dir);
            let reason = certs::crl::reason_code(&args.reason);
            let r = Pki::open(&dir)?.revoke(&args.cert, reason)?;
            let state = if r.already {
                "was already revoked"
            } else {
                "revoked"
            };
            println!(
                "{} {state}: serial {} ({})",
                args.cert.display(),
                r.serial,
                r.subject
            );
            println!("wrote {} (CRL of {})", r.crl_path.display(), r.ca);
        }
        CertsCmd::Crl { dir } => {
            for p in Pki::open(&dir_or(dir))?.refresh_crls()? {
                println!("wrote {}", p.display());
            }
        }
        CertsCmd::P12(args) => {
            let (password, generated) = match args.password {
                Some(p) => (p, false),
                None => (certs::p12::random_password()?, true),
            };
            let enc = if args.legacy {
                P12Encryption::Legacy
            } else {
                P12Encryption::Modern
            };
            certs::p12::write(&args.cert, &args.key, &args.out, &password, enc)?;
            println!("wrote {} (PKCS#12, mode 0600)", args.out.display());
            if generated {
                println!("import password: {password}");
            }
        }
        CertsCmd::Show { cert } => {
            let id = certs::identity::PeerIdentity::from_pem_file(&cert)?;
            println!("{}", serde_json::to_string_pretty(&id)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn init(
    args: InitArgs,
    dir_or: impl Fn(Option<PathBuf>) -> PathBuf,
    config: &Config,
) -> anyhow::Result<()> {
    let dir = dir_or(args.dir);
    let domains = if args.domains.is_empty() {
        config.local_domains()
    } else {
        args.domains
    };
    let options = InitOptions {
        domains,
        operator: Operator {
            name: args.operator,
            structure: StructureId::parse(&args.siren, StructureKind::Siren).context("--siren")?,
            state_province: Some(args.region).filter(|r| !r.trim().is_empty()),
        },
        label: args.label,
        force: args.force,
    };
    let report = pki::init(&dir, &options)?;
    let layout = &report.layout;
    println!("dev PKI created in {}", dir.display());
    for ca in pki::CaName::ALL {
        println!(
            "wrote {} and {} (key, mode 0600)",
            layout.ca_cert(ca).display(),
            layout.ca_key(ca).display()
        );
        println!("wrote {}", layout.crl(ca).display());
    }
    println!(
        "wrote {} (root + intermediates)",
        layout.ca_bundle().display()
    );
    for s in &report.servers {
        print_issued(s);
    }
    Ok(())
}

fn issue(cmd: IssueCmd, dir_or: impl Fn(Option<PathBuf>) -> PathBuf) -> anyhow::Result<()> {
    let structure = |s: &str| StructureId::parse(s, StructureKind::Finess).context("--structure");
    let (common, subject) = match cmd {
        IssueCmd::Server {
            common,
            domain,
            extra_names,
        } => (
            common,
            Subject::Server {
                domain,
                extra_names,
            },
        ),
        IssueCmd::Org(a) => {
            let structure = structure(&a.structure)?;
            (
                a.common,
                Subject::Org {
                    structure,
                    email: a.email,
                    name: a.name,
                },
            )
        }
        IssueCmd::App(a) => {
            let structure = structure(&a.structure)?;
            (
                a.common,
                Subject::App {
                    structure,
                    email: a.email,
                    name: a.name,
                },
            )
        }
        IssueCmd::Person(a) => {
            let id = match (&a.rpps, &a.adeli) {
                (Some(r), _) => PersonId::rpps(r)?,
                (None, Some(ad)) => PersonId::adeli(ad)?,
                (None, None) => anyhow::bail!("give --rpps or --adeli"),
            };
            let subject = Subject::Person {
                id,
                given_name: a.given_name,
                surname: a.surname,
                email: a.email,
                structure: a.structure.as_deref().map(structure).transpose()?,
                organization: a.organization,
            };
            (a.common, subject)
        }
    };
    if common.days <= 0 {
        anyhow::bail!("--days must be positive (use --expired for an expired certificate)");
    }
    let request = IssueRequest {
        subject,
        validity: if common.expired {
            Validity::expired()
        } else {
            Validity::days(common.days)
        },
        out: common.out,
        force: common.force,
    };
    let issued = pki::issue(&dir_or(common.dir), &request)?;
    print_issued(&issued);
    Ok(())
}

fn print_issued(i: &Issued) {
    let id = &i.identity;
    println!(
        "wrote {} (certificate + {} chain)",
        i.cert_path.display(),
        i.ca
    );
    println!("wrote {} (key, mode 0600)", i.key_path.display());
    println!("  subject {}", id.subject_dn);
    println!(
        "  serial {}, valid until {}",
        id.serial,
        id.not_after.date()
    );
}
