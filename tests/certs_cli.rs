//! `santemail certs …` through the real binary: init, issue, show, revoke, crl, p12, and the
//! bundle read back by the system `openssl pkcs12`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn santemail(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_santemail"))
        .current_dir(cwd)
        .env_remove("SANTEMAIL_CONFIG")
        .env_remove("SANTEMAIL_P12_PASSWORD")
        .args(args)
        .output()
        .expect("run santemail")
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn init_issue_revoke_p12_with_the_real_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let pki = cwd.join("pki");
    let pki_s = pki.to_str().unwrap();

    let out = ok(&santemail(
        cwd,
        &[
            "certs",
            "init",
            "--dir",
            pki_s,
            "--domain",
            "medecin.mssante.example",
            "--domain",
            "pharmacie.mssante.example",
        ],
    ));
    assert!(out.contains("servers/medecin.mssante.example.pem"), "{out}");
    for key in [
        "root-ca.key",
        "structures-ca.key",
        "personnes-ca.key",
        "servers/pharmacie.mssante.example.key",
    ] {
        assert_eq!(mode(&pki.join(key)), 0o600, "{key}");
    }
    for f in [
        "root-ca.pem",
        "ca-bundle.pem",
        "crl/root-ca.crl.pem",
        "crl/personnes-ca.crl.pem",
        "pki.json",
    ] {
        assert!(pki.join(f).exists(), "{f}");
    }

    let again = santemail(
        cwd,
        &[
            "certs",
            "init",
            "--dir",
            pki_s,
            "--domain",
            "medecin.mssante.example",
        ],
    );
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one clear line: {err}");

    let out = ok(&santemail(
        cwd,
        &[
            "certs",
            "issue",
            "person",
            "--dir",
            pki_s,
            "--rpps",
            "10284642892",
            "--given-name",
            "Camille",
            "--surname",
            "MARTIN",
            "--email",
            "camille.martin@medecin.mssante.example",
        ],
    ));
    let cert = pki.join("personnes/camille.martin@medecin.mssante.example.pem");
    let key = pki.join("personnes/camille.martin@medecin.mssante.example.key");
    assert!(out.contains(cert.to_str().unwrap()), "{out}");
    assert_eq!(mode(&key), 0o600);

    let shown: serde_json::Value = serde_json::from_str(&ok(&santemail(
        cwd,
        &["certs", "show", cert.to_str().unwrap()],
    )))
    .unwrap();
    assert_eq!(shown["kind"], "Person");
    assert_eq!(shown["rpps"], "10284642892");
    assert_eq!(shown["national_id"], "810284642892");
    assert_eq!(shown["emails"][0], "camille.martin@medecin.mssante.example");
    let serial = shown["serial"].as_str().unwrap().to_string();

    let out = ok(&santemail(
        cwd,
        &[
            "certs",
            "issue",
            "org",
            "--dir",
            pki_s,
            "--structure",
            "379836900",
            "--email",
            "du-centre-37000@pharmacie.mssante.example",
            "--name",
            "PHARMACIE DU CENTRE",
            "--expired",
        ],
    ));
    assert!(out.contains("OU=FINESS 379836900"), "{out}");
    let bad = santemail(
        cwd,
        &[
            "certs",
            "issue",
            "person",
            "--dir",
            pki_s,
            "--rpps",
            "123",
            "--given-name",
            "A",
            "--surname",
            "B",
            "--email",
            "a@b.example",
        ],
    );
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("RPPS"),
        "{bad:?}"
    );

    let out = ok(&santemail(
        cwd,
        &[
            "certs",
            "revoke",
            "--dir",
            pki_s,
            "--reason",
            "key-compromise",
            cert.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("crl/personnes-ca.crl.pem"), "{out}");
    let crl = Command::new("openssl")
        .args(["crl", "-noout", "-text", "-in"])
        .arg(pki.join("crl/personnes-ca.crl.pem"))
        .output()
        .unwrap();
    let crl_text = String::from_utf8_lossy(&crl.stdout).to_uppercase();
    assert!(crl_text.contains(&serial.to_uppercase()), "{crl_text}");
    assert!(crl_text.contains("KEY COMPROMISE"), "{crl_text}");
    ok(&santemail(cwd, &["certs", "crl", "--dir", pki_s]));

    let p12 = cwd.join("camille.p12");
    let out = ok(&santemail(
        cwd,
        &[
            "certs",
            "p12",
            "--cert",
            cert.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--out",
            p12.to_str().unwrap(),
            "--password",
            "s3cret",
        ],
    ));
    assert!(out.contains("camille.p12"), "{out}");
    assert_eq!(mode(&p12), 0o600);
    let info = |pass: &str| {
        Command::new("openssl")
            .args(["pkcs12", "-info", "-noout", "-passin"])
            .arg(format!("pass:{pass}"))
            .arg("-in")
            .arg(&p12)
            .output()
            .unwrap()
    };
    let good = info("s3cret");
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(!info("wrong").status.success());

    // Without --password a random one is generated and printed once.
    let p12b = cwd.join("generated.p12");
    let out = ok(&santemail(
        cwd,
        &[
            "certs",
            "p12",
            "--cert",
            cert.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--out",
            p12b.to_str().unwrap(),
            "--legacy",
        ],
    ));
    let pass = out
        .lines()
        .find_map(|l| l.strip_prefix("import password: "))
        .expect("password printed");
    assert_eq!(pass.len(), 20);
}
