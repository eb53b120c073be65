//! Helpers for the browser tests (headless Chromium over Selenium, `tests/clients/browserlib.py`):
//! a real SMTP sink for the citizen's personal e-mail, the TLS trust Chromium needs for the dev
//! PKI, provisional codes, and a screenshot folder.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::{Space, free_port};

const SINK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/webmail/tests/smtp_sink.py");

/// A real SMTP server (Python aiosmtpd) writing every message it receives to a folder.
pub struct Sink {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl Sink {
    pub fn start(dir: &Path) -> Sink {
        std::fs::create_dir_all(dir).expect("sink dir");
        let port = free_port();
        let mut child = Command::new("/usr/bin/python3")
            .arg(SINK)
            .arg(port.to_string())
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3-aiosmtpd is required (apt-get install python3-aiosmtpd)");
        let mut line = String::new();
        let out = child.stdout.take().expect("sink stdout");
        std::io::BufReader::new(out)
            .read_line(&mut line)
            .expect("sink ready");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Sink {
            child,
            port,
            dir: dir.to_path_buf(),
        }
    }

    /// The `[webmail]` lines pointing the relay at this sink and SMS at `sms`.
    pub fn webmail_config(&self, sms: &Path) -> String {
        format!(
            "relay_host = \"127.0.0.1\"\nrelay_port = {}\nrelay_tls = \"none\"\n\
             sms_gateway = \"file\"\nsms_file = \"{}\"\n",
            self.port,
            sms.display()
        )
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// base64(SHA-256(SubjectPublicKeyInfo)) of a certificate, for Chromium's
/// `--ignore-certificate-errors-spki-list`: the dev root is not in its store, so the server key is
/// pinned instead.
pub fn spki_hash(cert: &Path) -> String {
    let script = format!(
        "openssl x509 -in '{}' -pubkey -noout | openssl pkey -pubin -outform der \
         | openssl dgst -sha256 -binary | openssl base64 -A",
        cert.display()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .output()
        .expect("openssl");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The SPKI pin of a test space's server certificate.
pub fn server_spki(space: &Space) -> String {
    spki_hash(&space.pki().join("servers").join("mssante.example.pem"))
}

/// The provisional code written by `account import` for `nir`.
pub fn provisional_code(space: &Space, nir: &str) -> String {
    let codes = std::fs::read_to_string(space.path("codes.csv")).expect("codes.csv");
    codes
        .lines()
        .find(|l| l.starts_with(&format!("{nir};")))
        .and_then(|l| l.rsplit(';').next())
        .expect("a provisional code for the citizen")
        .to_string()
}

/// A fresh `target/test-artifacts/<name>` folder for screenshots.
pub fn artifacts(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-artifacts")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

/// A valid 1×1 PNG: a prescription photo.
pub fn tiny_png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0,
        0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44,
        0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x00, 0x01, 0x01, 0x00, 0x05, 0x18, 0xd8,
        0x4e, 0x3c, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ]
}

/// What a browser script reported: one JSON object per step, the last one `{"step": "done"}`.
pub struct Steps {
    steps: Vec<serde_json::Value>,
    stdout: String,
}

impl Steps {
    /// The report of step `name` (panics with the whole output when it is missing).
    pub fn get(&self, name: &str) -> serde_json::Value {
        self.steps
            .iter()
            .find(|s| s["step"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no step {name} in {}", self.stdout))
    }
}

/// Writes `plan` next to the test's files, runs `script` (Python + Selenium) on it and checks it
/// reached its end; on failure, shows its output and the server's log.
pub fn run_script(script: &str, plan: &serde_json::Value, work: &Path, space: &Space) -> Steps {
    let plan_path = work.join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).expect("plan");
    let out = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(&plan_path)
        .output()
        .expect("python3-selenium, chromium, chromium-driver and curl are required");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let steps: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        out.status.success() && steps.last().is_some_and(|s| s["step"] == "done"),
        "{script} failed.\nstdout:\n{stdout}\nstderr:\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        space.server_log()
    );
    Steps { steps, stdout }
}
