//! The webmail's account half over the real HTTPS port of the real binary, driven by `curl` (a
//! client we did not write) with a cookie jar: activation with the codes read from a real SMTP
//! sink (Python aiosmtpd, the configured relay) and from the dev SMS file, login with identifier,
//! password and one-time code, the security headers and cookie attributes on the wire, logout.

mod common;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Space, SpaceOptions, free_port, path_str, wait_for_port};

const NIR: &str = "240013700100130";
const SINK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/webmail/tests/smtp_sink.py");
const PASSWORD: &str = "une phrase assez longue";

struct Sink {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Sink {
    fn start(dir: &Path) -> Sink {
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

    /// The code in the subject of the `n`-th message to `to` ("Subject: Votre code : 123456").
    fn code(&self, to: &str, n: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
            files.sort();
            let mine: Vec<String> = files
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .filter(|t| t.starts_with(&format!("X-Sink-Rcpt: {to}\r\n")))
                .collect();
            if let Some(text) = mine.get(n - 1) {
                let subject = text
                    .lines()
                    .find_map(|l| l.strip_prefix("Subject: Votre code : "))
                    .expect("a code e-mail");
                return subject.trim().to_string();
            }
            assert!(Instant::now() < deadline, "no message #{n} to {to}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `curl` with a cookie jar, trusting the dev PKI.
struct Browser {
    base: String,
    resolve: String,
    ca: PathBuf,
    jar: PathBuf,
}

struct Page {
    status: u16,
    headers: String,
    body: String,
}

impl Page {
    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a csrf field") + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .unwrap_or("")
            .to_string()
    }

    fn header(&self, name: &str) -> Vec<String> {
        let prefix = format!("{}:", name.to_lowercase());
        self.headers
            .lines()
            .filter(|l| l.to_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_string())
            .collect()
    }
}

impl Browser {
    fn request(&self, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let tmp = tempfile::tempdir().expect("tmp");
        let (hdr, body) = (tmp.path().join("h"), tmp.path().join("b"));
        let mut c = Command::new("curl");
        c.args(["--silent", "--show-error", "--max-time", "20"])
            .args(["--cacert", path_str(&self.ca)])
            .args(["--resolve", &self.resolve])
            .args([
                "--cookie",
                path_str(&self.jar),
                "--cookie-jar",
                path_str(&self.jar),
            ])
            .args(["--dump-header", path_str(&hdr), "--output", path_str(&body)])
            .args(["--write-out", "%{http_code}"]);
        for (k, v) in form.unwrap_or(&[]) {
            c.args(["--data-urlencode", &format!("{k}={v}")]);
        }
        let out = c
            .arg(format!("{}{path}", self.base))
            .output()
            .expect("curl is required (apt-get install curl)");
        assert!(
            out.status.success(),
            "curl {path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Page {
            status: String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .unwrap_or(0),
            headers: std::fs::read_to_string(hdr).unwrap_or_default(),
            body: std::fs::read_to_string(body).unwrap_or_default(),
        }
    }

    fn get(&self, path: &str) -> Page {
        self.request(path, None)
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.request(path, Some(form))
    }
}

fn provisional_code(space: &Space, nir: &str) -> String {
    std::fs::read_to_string(space.path("codes.csv"))
        .expect("codes.csv")
        .lines()
        .find(|l| l.starts_with(&format!("{nir};")))
        .and_then(|l| l.rsplit(';').next())
        .expect("a provisional code")
        .to_string()
}

fn sms_code(path: &Path, to: &str) -> String {
    let text = std::fs::read_to_string(path).expect("SMS file");
    let line = text
        .lines()
        .rfind(|l| l.starts_with(&format!("{to}\t")))
        .expect("an SMS to the mobile");
    line.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_string()
}

#[test]
fn activation_and_login_over_https_with_curl() {
    let work = tempfile::tempdir().expect("temp dir");
    let sink = Sink::start(&work.path().join("sink"));
    let sms = work.path().join("sms.log");
    let mut space = Space::with(SpaceOptions {
        webmail_extra: format!(
            "relay_host = \"127.0.0.1\"\nrelay_port = {}\nrelay_tls = \"none\"\n\
             sms_gateway = \"file\"\nsms_file = \"{}\"\n",
            sink.port,
            sms.display()
        ),
        ..SpaceOptions::default()
    });
    space.start();
    wait_for_port(space.https, Duration::from_secs(30));
    let b = Browser {
        base: format!("https://mssante.example:{}", space.https),
        resolve: format!("mssante.example:{}:127.0.0.1", space.https),
        ca: space.ca_bundle(),
        jar: work.path().join("cookies.txt"),
    };

    // Security headers on the wire.
    let home = b.get("/");
    assert_eq!(home.status, 200, "{}", space.server_log());
    assert!(home.header("content-security-policy")[0].starts_with("default-src 'self'"));
    assert_eq!(home.header("x-frame-options"), ["DENY"]);
    assert_eq!(home.header("x-content-type-options"), ["nosniff"]);
    assert_eq!(home.header("referrer-policy"), ["no-referrer"]);
    assert_eq!(b.get("/static/app.css").status, 200);

    // Activation: identity, then identifier and password, then the two codes.
    let page = b.get("/activation");
    let r = b.post(
        "/activation",
        &[
            ("csrf", &page.csrf()),
            ("nir", NIR),
            ("date_naissance", "1940-01-01"),
            ("numero_vitale", "21132624"),
            ("code_provisoire", &provisional_code(&space, NIR)),
            ("action", "activer"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = b.get("/activation/compte");
    let email = "camille@courriel.example";
    let r = b.post(
        "/activation/compte",
        &[
            ("csrf", &page.csrf()),
            ("identifiant", "camille.m"),
            ("mot_de_passe", PASSWORD),
            ("confirmation", PASSWORD),
            ("email", email),
            ("mobile", "06 98 76 54 32"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = b.get("/activation/confirmation");
    let r = b.post(
        "/activation/confirmation",
        &[
            ("csrf", &page.csrf()),
            ("code_email", &sink.code(email, 1)),
            ("code_sms", &sms_code(&sms, "+33698765432")),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Votre compte est activé"), "{}", r.body);

    // Login: identifier + password, then the e-mailed code.
    let page = b.get("/connexion");
    let r = b.post(
        "/connexion",
        &[
            ("csrf", &page.csrf()),
            ("identifiant", "camille.m"),
            ("mot_de_passe", PASSWORD),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = b.get("/connexion/code");
    let r = b.post(
        "/connexion/code",
        &[("csrf", &page.csrf()), ("code", &sink.code(email, 2))],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = r
        .header("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("__Host-santemail-session="))
        .expect("session cookie");
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    let settings = b.get("/parametres");
    assert_eq!(settings.status, 200);
    assert!(settings.body.contains("camille.m"));
    assert!(
        settings.body.contains("127.0.0.1"),
        "the session list shows the address"
    );

    let r = b.post("/deconnexion", &[("csrf", &settings.csrf())]);
    assert_eq!(r.status, 303);
    assert_eq!(b.get("/parametres").status, 303, "logged out");
}
