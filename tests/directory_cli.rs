//! The real `santemail` binary: `directory import/lookup/mark-pharmacy`, `account`, `policy check`
//! on a temporary SQLite database with the national fixture files.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

struct Env {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("santemail.toml");
        std::fs::write(
            &config,
            format!(
                "[server]\ndata_dir = \"{}\"\n",
                dir.path().join("data").display()
            ),
        )
        .expect("config");
        Env { dir, config }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_santemail"))
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env_remove("SANTEMAIL_CONFIG")
            .output()
            .expect("run santemail")
    }
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o.stdout)))
}

#[test]
fn import_lookup_and_policy_from_the_command_line() {
    let env = Env::new();
    let codes = env.dir.path().join("codes.csv");
    let mssante = fixture("annuaire/Extraction_Correspondance_MSSante_202611200300.txt");
    let out = env.run(&[
        "directory",
        "import",
        mssante.to_str().unwrap(),
        fixture("annuaire/PS_LibreAcces_Personne_activite_202611200300.txt")
            .to_str()
            .unwrap(),
        fixture("listeblanche/listeblanchemssante.xml")
            .to_str()
            .unwrap(),
        fixture("citizens/assures.csv").to_str().unwrap(),
        "--codes-out",
        codes.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(
        stdout.contains("mssante: 49 rows read, 45 new, 0 updated, 0 deactivated, 4 rejected"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{}:31: duplicate address lea.rousseau@medecin.mssante.example (first at line 11)",
            mssante.display()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("whitelist: 5 rows read, 5 new"), "{stdout}");
    assert!(stdout.contains("insured: 14 rows read, 14 new"), "{stdout}");
    assert!(
        stdout.contains("12 provisional codes written to"),
        "{stdout}"
    );
    let mode = std::fs::metadata(&codes)
        .expect("codes file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(std::fs::read_to_string(&codes).unwrap().lines().count(), 13);

    // Lookups: a pharmacy (from the PS_LibreAcces sector), a citizen, an unknown address.
    let out = env.run(&[
        "directory",
        "lookup",
        "Du-Marche-20000@pharmacie.mssante.example",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["kind"], "ORG");
    assert_eq!(v["pharmacy"], true);
    assert_eq!(v["structure_id"], "2A3849373");
    assert_eq!(v["structure_name"], "PHARMACIE DU MARCHÉ");
    let out = env.run(&[
        "directory",
        "lookup",
        "240013700100130@patient.mssante.example",
    ]);
    let v = json(&out);
    assert_eq!(v["kind"], "citizen");
    assert_eq!(v["state"], "pending");
    assert_eq!(v["pharmacy"], false);
    assert_eq!(
        v["children"],
        serde_json::json!(["115063726104045", "216063726104142"])
    );
    let out = env.run(&["directory", "lookup", "nobody@medecin.mssante.example"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not in the directory"));

    // The policy: exit 0 for allow, 1 for deny.
    let citizen = "240013700100130@patient.mssante.example";
    let pharmacy = "du-centre-37000@pharmacie.mssante.example";
    let doctor = "camille.martin@medecin.mssante.example";
    let out = env.run(&["policy", "check", "--from", doctor, "--to", citizen]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("deny: 550 5.2.1"),
        "{}",
        text(&out.stdout)
    );
    let out = env.run(&["account", "activate", "240013700100130"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = env.run(&["policy", "check", "--from", doctor, "--to", citizen]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).starts_with("allow"));
    let out = env.run(&["policy", "check", "--from", citizen, "--to", pharmacy]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = env.run(&["policy", "check", "--from", citizen, "--to", doctor]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("deny: 550 5.7.1"), "{stdout}");
    assert!(stdout.contains("citizen: Vous pouvez répondre"), "{stdout}");
    let out = env.run(&[
        "policy",
        "check",
        "--from",
        citizen,
        "--to",
        "x@gmail.example",
    ]);
    assert_eq!(out.status.code(), Some(1));

    // The operator's pharmacy mark.
    let lab = "secretariat@labo-bio.mssante.example";
    assert_eq!(
        json(&env.run(&["directory", "lookup", lab]))["pharmacy"],
        false
    );
    let out = env.run(&["directory", "mark-pharmacy", lab]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        json(&env.run(&["directory", "lookup", lab]))["pharmacy"],
        true
    );
    let out = env.run(&["policy", "check", "--from", citizen, "--to", lab]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn a_wrong_file_exits_non_zero_with_a_clear_message() {
    let env = Env::new();
    let odd = env.dir.path().join("notes.txt");
    std::fs::write(&odd, "hello;world\n").unwrap();
    let whitelist = fixture("listeblanche/listeblanchemssante.xml");
    let out = env.run(&[
        "directory",
        "import",
        odd.to_str().unwrap(),
        whitelist.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("notes.txt"), "{stderr}");
    assert!(stderr.contains("not a known national format"), "{stderr}");
    assert!(stderr.contains("hello;world"), "{stderr}");
    // The other file still imported.
    assert!(text(&out.stdout).contains("whitelist: 5 rows read, 5 new"));
    let out = env.run(&["directory", "import", "/nonexistent/file.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read /nonexistent/file.txt"));
}
