//! A whole santemail space on loopback for end-to-end tests: a temp folder with a dev PKI, a
//! config, the sample national data imported, and the real `santemail` binary serving.
#![allow(dead_code)]

pub mod browser;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_santemail");
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A free loopback port (bound then released; good enough for tests on one machine).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on loopback")
}

pub struct Space {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub mta: u16,
    pub submission: u16,
    pub submissions: u16,
    pub imap: u16,
    pub imaps: u16,
    pub https: u16,
    pub server: Option<Child>,
}

/// How a test space differs from the default operator (mx.mssante.example).
pub struct SpaceOptions {
    pub database_url: Option<String>,
    pub hostname: String,
    pub citizen_domain: String,
    pub professional_domains: Vec<String>,
    /// Reuse another space's PKI (same health PKI roots), issuing a server certificate for
    /// `server_cert_domain` in it.
    pub shared_pki: Option<PathBuf>,
    pub server_cert_domain: String,
    /// Extra lines for the `[smtp]` section.
    pub smtp_extra: String,
    /// Extra lines for the `[imap]` section.
    pub imap_extra: String,
    /// Extra lines for the `[webmail]` section.
    pub webmail_extra: String,
}

impl Default for SpaceOptions {
    fn default() -> Self {
        SpaceOptions {
            database_url: None,
            hostname: "mx.mssante.example".into(),
            citizen_domain: "patient.mssante.example".into(),
            professional_domains: [
                "medecin",
                "pharmacie",
                "pharmacien",
                "infirmier",
                "dentiste",
                "sagefemme",
                "kine",
                "labo-bio",
            ]
            .iter()
            .map(|d| format!("{d}.mssante.example"))
            .collect(),
            shared_pki: None,
            server_cert_domain: "mssante.example".into(),
            smtp_extra: String::new(),
            imap_extra: String::new(),
            webmail_extra: String::new(),
        }
    }
}

impl Space {
    /// Sets up a space on SQLite, or on `database_url` when given.
    pub fn new(database_url: Option<&str>) -> Space {
        Space::with(SpaceOptions {
            database_url: database_url.map(str::to_string),
            ..SpaceOptions::default()
        })
    }

    pub fn with(o: SpaceOptions) -> Space {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mta, submission, submissions) = (free_port(), free_port(), free_port());
        let (imap, imaps, https) = (free_port(), free_port(), free_port());
        let db_line = o
            .database_url
            .as_ref()
            .map(|u| format!("url = \"{u}\"\n"))
            .unwrap_or_default();
        let pros: Vec<String> = o
            .professional_domains
            .iter()
            .map(|d| format!("\"{d}\""))
            .collect();
        let config = dir.path().join("santemail.toml");
        std::fs::write(
            &config,
            format!(
                "[server]\nhostname = \"{host}\"\ndata_dir = \"{data}\"\n\
                 [database]\n{db_line}\
                 [domains]\ncitizen = \"{citizen}\"\nprofessional = [{pros}]\n\
                 [smtp]\nmta = \"127.0.0.1:{mta}\"\nsubmission = \"127.0.0.1:{submission}\"\n\
                 submissions = \"127.0.0.1:{submissions}\"\nmax_message_size = 1048576\n\
                 command_timeout_secs = 30\n{extra}\n\
                 [imap]\nimap = \"127.0.0.1:{imap}\"\nimaps = \"127.0.0.1:{imaps}\"\n{imap_extra}\n\
                 [webmail]\nhttps = \"127.0.0.1:{https}\"\n{webmail_extra}\n",
                host = o.hostname,
                data = dir.path().join("data").display(),
                citizen = o.citizen_domain,
                pros = pros.join(", "),
                extra = o.smtp_extra,
                imap_extra = o.imap_extra,
                webmail_extra = o.webmail_extra,
            ),
        )
        .expect("write config");
        let space = Space {
            dir,
            config,
            mta,
            submission,
            submissions,
            imap,
            imaps,
            https,
            server: None,
        };
        let pki = space.pki();
        match &o.shared_pki {
            None => {
                space.ok(&[
                    "certs",
                    "init",
                    "--dir",
                    path_str(&pki),
                    "--domain",
                    &o.server_cert_domain,
                    "--domain",
                    &o.citizen_domain,
                ]);
            }
            Some(from) => {
                copy_dir(from, &pki);
                space.ok(&[
                    "certs",
                    "issue",
                    "server",
                    "--dir",
                    path_str(&pki),
                    "--domain",
                    &o.server_cert_domain,
                ]);
            }
        }
        let f = |p: &str| format!("{FIXTURES}/{p}");
        space.ok(&[
            "directory",
            "import",
            &f("listeblanche/listeblanchemssante.xml"),
            &f("annuaire/PS_LibreAcces_Personne_activite_202611200300.txt"),
            &f("annuaire/Extraction_Correspondance_MSSante_202611200300.txt"),
        ]);
        let codes = space.path("codes.csv");
        space.ok(&[
            "account",
            "import",
            &f("citizens/assures.csv"),
            "--codes-out",
            codes.to_str().unwrap_or_default(),
        ]);
        space
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn pki(&self) -> PathBuf {
        self.path("data/pki")
    }

    pub fn ca_bundle(&self) -> PathBuf {
        self.pki().join("ca-bundle.pem")
    }

    /// Runs the binary with this space's config.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("SANTEMAIL_CONFIG", &self.config)
            .output()
            .expect("run santemail")
    }

    /// Runs the binary and fails the test with its stderr if it fails.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "santemail {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `santemail account set-password ADDRESS`, the password typed on stdin.
    pub fn set_password(&self, address: &str, password: &str) {
        use std::io::Write;
        let mut child = Command::new(BIN)
            .args(["account", "set-password", address])
            .env("SANTEMAIL_CONFIG", &self.config)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn");
        if let Some(mut stdin) = child.stdin.take() {
            writeln!(stdin, "{password}").expect("write password");
        }
        assert!(child.wait().expect("wait").success());
    }

    /// Runs a Python client of ours that ends with one JSON line `{"failures": [...], ...}`,
    /// and fails the test with the failures and the server log unless there are none.
    pub fn python_report(&self, what: &str, args: &[String]) -> serde_json::Value {
        let out = Command::new("python3")
            .args(args)
            .output()
            .expect("python3 is required for these tests");
        let text = String::from_utf8_lossy(&out.stdout);
        let last = text.lines().last().unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(last).unwrap_or_else(|e| {
            panic!(
                "{what} printed no JSON ({e}): {text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert_eq!(
            v["failures"],
            serde_json::json!([]),
            "{what}: {v}\nserver log:\n{}",
            self.server_log()
        );
        v
    }

    /// Issues a personal certificate; returns (cert, key).
    pub fn person_cert(&self, email: &str, rpps: &str, name: &str) -> (PathBuf, PathBuf) {
        let pki = self.pki();
        let (given, surname) = name.split_once(' ').unwrap_or((name, name));
        self.ok(&[
            "certs",
            "issue",
            "person",
            "--dir",
            path_str(&pki),
            "--email",
            email,
            "--rpps",
            rpps,
            "--given-name",
            given,
            "--surname",
            surname,
        ]);
        let cert = pki.join("personnes").join(format!("{email}.pem"));
        let key = pki.join("personnes").join(format!("{email}.key"));
        assert!(cert.exists(), "expected {}", cert.display());
        (cert, key)
    }

    pub fn start(&mut self) {
        let log = std::fs::File::create(self.path("server.log")).expect("log file");
        let child = Command::new(BIN)
            .arg("serve")
            .env("SANTEMAIL_CONFIG", &self.config)
            .env("SANTEMAIL_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn santemail serve");
        self.server = Some(child);
        // Generous under a loaded CI machine (PostgreSQL migrations, many tests at once); a
        // server that exits instead (a port taken meanwhile, a bad config) fails at once, with
        // its log.
        let start = Instant::now();
        for port in [self.mta, self.submission, self.submissions] {
            loop {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    break;
                }
                if let Some(status) = self
                    .server
                    .as_mut()
                    .and_then(|c| c.try_wait().ok().flatten())
                {
                    panic!("santemail serve exited ({status}):\n{}", self.server_log());
                }
                assert!(
                    start.elapsed() < Duration::from_secs(90),
                    "nothing listens on port {port} after 90 s; server log:\n{}",
                    self.server_log()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// Messages in the INBOX of `address` (`santemail mailbox stat --json`).
    pub fn inbox_count(&self, address: &str) -> u64 {
        let out = self.ok(&["mailbox", "stat", address, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&out).expect("mailbox stat --json");
        v.as_array()
            .and_then(|boxes| boxes.iter().find(|b| b["name"] == "INBOX"))
            .and_then(|b| b["messages"].as_u64())
            .unwrap_or(0)
    }

    pub fn server_log(&self) -> String {
        std::fs::read_to_string(self.path("server.log")).unwrap_or_default()
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.server.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Space {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `f` every 200 ms until it holds or `limit` has passed; whether it held.
pub fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

pub fn wait_for_port(port: u16, limit: Duration) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on port {port} after {limit:?}");
}

/// Runs the Python smtplib client (tests/clients/smtp_client.py) and parses its JSON.
pub fn smtp_client(args: &[&str]) -> serde_json::Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/smtp_client.py");
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is required for the SMTP tests (apt-get install python3)");
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "smtp_client.py printed no JSON ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

/// One transaction through tests/clients/smtp_client.py, described fluently:
/// `Smtp::submission(&space).cert(&c, &k).from(A).to(B).text(T).send()`.
pub struct Smtp {
    args: Vec<String>,
}

impl Smtp {
    /// A listener of `space` on `port`, trusting the space's health PKI.
    pub fn port(space: &Space, port: u16) -> Smtp {
        Smtp {
            args: vec![
                "--port".into(),
                port.to_string(),
                "--cafile".into(),
                path_str(&space.ca_bundle()).into(),
            ],
        }
    }
    pub fn submission(space: &Space) -> Smtp {
        Smtp::port(space, space.submission)
    }
    pub fn submissions(space: &Space) -> Smtp {
        Smtp::port(space, space.submissions).flag("--implicit-tls")
    }
    pub fn mta(space: &Space) -> Smtp {
        Smtp::port(space, space.mta)
    }
    pub fn flag(mut self, flag: &str) -> Smtp {
        self.args.push(flag.into());
        self
    }
    pub fn opt(mut self, name: &str, value: &str) -> Smtp {
        self.args.push(name.into());
        self.args.push(value.into());
        self
    }
    pub fn cert(self, cert: &Path, key: &Path) -> Smtp {
        self.opt("--cert", path_str(cert))
            .opt("--key", path_str(key))
    }
    pub fn login(self, user: &str, password: &str) -> Smtp {
        self.opt("--login", user).opt("--password", password)
    }
    pub fn from(self, address: &str) -> Smtp {
        self.opt("--from", address)
    }
    pub fn to(self, address: &str) -> Smtp {
        self.opt("--to", address)
    }
    pub fn text(self, message: &str) -> Smtp {
        self.opt("--text", message)
    }
    pub fn send(self) -> serde_json::Value {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        smtp_client(&args)
    }
}
