//! `santemail config check`: the real binary on good and bad files.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_santemail");

fn check(text: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("santemail.toml");
    std::fs::write(&path, text).expect("write config");
    let out = Command::new(BIN)
        .args(["config", "check"])
        .arg(&path)
        .output()
        .expect("run santemail");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), all)
}

#[test]
fn the_example_file_is_valid() {
    let example = include_str!("../santemail.example.toml");
    let (ok, out) = check(example);
    assert!(ok, "{out}");
    assert!(out.contains(": ok"), "{out}");
}

#[test]
fn a_misspelt_key_is_named_with_its_line() {
    let (ok, out) =
        check("[server]\nhostname = \"mx.example.org\"\n\n[smtp]\nmax_recipents = 10\n");
    assert!(!ok);
    assert!(out.contains("line 5"), "{out}");
    assert!(out.contains("max_recipents"), "{out}");
    assert_eq!(out.lines().count(), 1, "one clear line: {out}");
}

#[test]
fn wrong_values_are_explained() {
    let (ok, out) = check("[database]\nurl = \"mysql://db/santemail\"\n");
    assert!(!ok);
    assert!(out.contains("[database] url"), "{out}");
    let (ok, out) = check("[smtp.routes]\n\"autre.example\" = \"host:port\"\n");
    assert!(!ok);
    assert!(out.contains("[smtp.routes] autre.example"), "{out}");
}

#[test]
fn a_missing_file_is_an_error_when_named() {
    let out = Command::new(BIN)
        .args(["config", "check", "/nonexistent/santemail.toml"])
        .output()
        .expect("run santemail");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read /nonexistent/santemail.toml"),
        "{err}"
    );
}
