//! Builds a demo space: config, PKI, national data and accounts. Every input is compiled into the
//! binary (the repo's sample extracts), so a newcomer needs no other file.

use std::path::Path;

use anyhow::Context;
use certs::ids::{PersonId, StructureId, StructureKind};
use certs::p12::P12Encryption;
use certs::pki::{self, InitOptions, IssueRequest, Subject};
use directory::accounts::Action;
use directory::import::ImportOptions;

use super::DemoPorts;
use super::identities::{DEMO_IDENTITIES, IdentityKind, P12_PASSWORD};

const WHITELIST: &str =
    include_str!("../../../tests/fixtures/listeblanche/listeblanchemssante.xml");
const ACTIVITIES: &str = include_str!(
    "../../../tests/fixtures/annuaire/PS_LibreAcces_Personne_activite_202611200300.txt"
);
const MAILBOXES: &str = include_str!(
    "../../../tests/fixtures/annuaire/Extraction_Correspondance_MSSante_202611200300.txt"
);
const INSURED: &str = include_str!("../../../tests/fixtures/citizens/assures.csv");
/// The sample catalogue of (invented) health services, so the demo's /catalogue is not empty.
const CATALOGUE: &str = include_str!("../../../docs/catalogue-exemple.toml");
/// The lab's application mailbox (BAL APP) is not in the sample extract: the demo adds it in the
/// same 31-column format.
const DEMO_APP_LINE: &str = "APP|automate@labo-bio.mssante.example||||3|12345678900017|Automate de biologie||||||||||False|LABORATOIRE BIO EXEMPLE||||10|bis|AV|Grammont||37000 TOURS|37000|37|France\n";

pub async fn build(dir: &Path, ports: &DemoPorts) -> anyhow::Result<()> {
    let data = dir.join("data");
    let seed = dir.join("seed");
    for d in [dir, &data, &seed, &dir.join("outbox"), &dir.join("p12")] {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let pki_dir = data.join("pki");
    if !pki_dir.join("root-ca.pem").exists() {
        pki::init(
            &pki_dir,
            &InitOptions::new(&["mssante.example", "patient.mssante.example"]),
        )
        .context("creating the dev health PKI")?;
    }
    issue_certificates(dir, &pki_dir)?;

    let db = store::Db::connect(&format!("sqlite://{}", data.join("santemail.db").display()))
        .await
        .context("creating the SQLite database")?;
    let files = [
        ("listeblanchemssante.xml", WHITELIST.to_string()),
        (
            "PS_LibreAcces_Personne_activite_demo.txt",
            ACTIVITIES.to_string(),
        ),
        (
            "Extraction_Correspondance_MSSante_demo.txt",
            format!("{MAILBOXES}{DEMO_APP_LINE}"),
        ),
        ("assures.csv", INSURED.to_string()),
    ];
    let codes_path = dir.join("codes-provisoires.csv");
    let mut codes = directory::accounts::CodesWriter::create(&codes_path)
        .with_context(|| format!("creating {}", codes_path.display()))?;
    for (name, text) in files {
        let path = seed.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        let mut opts = ImportOptions::new("patient.mssante.example");
        if name == "assures.csv" {
            opts.codes = Some(&mut codes);
        }
        directory::import::import_file(&db, &path, &mut opts)
            .await
            .with_context(|| format!("importing {name}"))?;
    }
    drop(codes);
    for id in DEMO_IDENTITIES {
        if let IdentityKind::Citizen { nir } = id.kind {
            directory::accounts::apply(&db, nir, Action::Activate)
                .await
                .with_context(|| format!("activating {nir}"))?;
            // The webmail login identifier a citizen would choose at activation: here the NIR.
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            webmail::identifiers::assign(&db, nir, id.address, now)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))
                .with_context(|| format!("giving {nir} a webmail identifier"))?;
        }
        if matches!(id.kind, IdentityKind::Org { .. }) {
            db.ensure_default_mailboxes(id.address).await?;
            db.set_account_shared(id.address, true).await?;
        }
        directory::credentials::set_password(&db, id.address, id.password)
            .await
            .with_context(|| format!("setting the password of {}", id.address))?;
    }
    let services = health::catalogue::parse_text(CATALOGUE, health::catalogue::Format::Toml)
        .map_err(|errors| anyhow::anyhow!("sample catalogue: {errors:?}"))?;
    health::catalogue::replace(&db, &services)
        .await
        .context("importing the sample catalogue")?;
    db.close().await;
    write_config(dir, ports)?;
    write_mutt_configs(dir, &pki_dir, ports)
}

/// One ready `muttrc` per professional identity: IMAPS and SMTPS with the client certificate
/// (mutt wants the certificate and its key in one PEM file).
fn write_mutt_configs(dir: &Path, pki_dir: &Path, p: &DemoPorts) -> anyhow::Result<()> {
    let clients = dir.join("clients");
    std::fs::create_dir_all(&clients).with_context(|| format!("creating {}", clients.display()))?;
    let layout = certs::pki::Layout::new(pki_dir);
    for id in DEMO_IDENTITIES {
        let kind = match id.kind {
            IdentityKind::Citizen { .. } => continue,
            IdentityKind::Person { .. } => certs::identity::PeerKind::Person,
            IdentityKind::Org { .. } => certs::identity::PeerKind::Org,
            IdentityKind::App { .. } => certs::identity::PeerKind::App,
        };
        let cert = layout.leaf_cert(kind, id.address);
        let key = certs::pki::Layout::key_for(&cert);
        let mut pem =
            std::fs::read(&cert).with_context(|| format!("reading {}", cert.display()))?;
        pem.extend(std::fs::read(&key).with_context(|| format!("reading {}", key.display()))?);
        let both = clients.join(format!("{}.pem", id.address));
        pki::write_private(&both, &pem)?;
        let user = id.address.replace('@', "%40");
        let muttrc = format!(
            "# mutt -F {muttrc_path}\n\
             set from = \"{addr}\"\n\
             set folder = \"imaps://{user}@127.0.0.1:{imaps}/\"\n\
             set spoolfile = \"+INBOX\"\nset record = \"+Sent\"\nset postponed = \"+Drafts\"\n\
             set smtp_url = \"smtps://{user}@127.0.0.1:{smtps}/\"\n\
             set imap_pass = \"{pw}\"\nset smtp_pass = \"{pw}\"\n\
             set ssl_ca_certificates_file = \"{ca}\"\n\
             set ssl_client_cert = \"{both}\"\n\
             set ssl_force_tls = yes\nset imap_check_subscribed = yes\n",
            muttrc_path = clients.join(format!("{}.muttrc", id.address)).display(),
            addr = id.address,
            imaps = p.imaps,
            smtps = p.submissions,
            pw = id.password,
            ca = pki_dir.join("ca-bundle.pem").display(),
            both = both.display(),
        );
        let path = clients.join(format!("{}.muttrc", id.address));
        pki::write_private(&path, muttrc.as_bytes())?;
    }
    Ok(())
}

fn issue_certificates(dir: &Path, pki_dir: &Path) -> anyhow::Result<()> {
    for id in DEMO_IDENTITIES {
        let subject = match id.kind {
            IdentityKind::Citizen { .. } => continue,
            IdentityKind::Person { rpps } => Subject::Person {
                id: PersonId::rpps(rpps)?,
                given_name: id.given_name.into(),
                surname: id.surname.into(),
                email: id.address.into(),
                structure: None,
                organization: None,
            },
            IdentityKind::Org { structure } => Subject::Org {
                structure: StructureId::parse(structure, StructureKind::Finess)?,
                email: id.address.into(),
                name: id.surname.into(),
            },
            IdentityKind::App { structure } => Subject::App {
                structure: StructureId::parse(structure, StructureKind::Siret)?,
                email: id.address.into(),
                name: id.surname.into(),
            },
        };
        let mut request = IssueRequest::new(subject);
        request.force = true;
        let issued = pki::issue(pki_dir, &request)
            .with_context(|| format!("issuing the certificate of {}", id.address))?;
        let p12 = dir.join("p12").join(format!("{}.p12", id.address));
        certs::p12::write(
            &issued.cert_path,
            &issued.key_path,
            &p12,
            P12_PASSWORD,
            P12Encryption::Modern,
        )
        .with_context(|| format!("writing {}", p12.display()))?;
    }
    Ok(())
}

fn write_config(dir: &Path, p: &DemoPorts) -> anyhow::Result<()> {
    let data = dir.join("data");
    let text = format!(
        "# santemail demo configuration (made by `santemail demo`; every key is documented in\n\
         # santemail.example.toml). Unprivileged ports on loopback (DESIGN §9).\n\
         [server]\nhostname = \"mx.mssante.example\"\ndata_dir = \"{data}\"\n\n\
         [smtp]\nmta = \"127.0.0.1:{mta}\"\nsubmission = \"127.0.0.1:{sub}\"\n\
         submissions = \"127.0.0.1:{subs}\"\n\n\
         [imap]\nimap = \"127.0.0.1:{imap}\"\nimaps = \"127.0.0.1:{imaps}\"\n\n\
         [webmail]\nhttps = \"127.0.0.1:{https}\"\npublic_url = \"https://localhost:{https}\"\n\
         relay_outbox = \"{outbox}\"\nsms_gateway = \"file\"\nsms_file = \"{outbox}/sms.log\"\n",
        data = data.display(),
        mta = p.mta,
        sub = p.submission,
        subs = p.submissions,
        imap = p.imap,
        imaps = p.imaps,
        https = p.https,
        outbox = dir.join("outbox").display(),
    );
    let path = dir.join("santemail.toml");
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}
