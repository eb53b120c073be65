//! The real `santemail` binary and DMP documents: `dmp file-xdm` files the shared XDM fixture,
//! `dmp list`/`history` show it, `dmp export` writes an XDM archive that `unzip` (a client we did
//! not write) reads, and that archive files back into a fresh space with the same documents.
//! A package for another patient is refused with one clear line and nothing filed.

mod common;

use std::process::Command;

use common::{FIXTURES, Space, path_str};

const CAMILLE: &str = "240013700100130";
const OTHER: &str = "143024503800277";

fn list(space: &Space, ins: &str) -> Vec<serde_json::Value> {
    let out = space.ok(&["dmp", "list", ins, "--json"]);
    serde_json::from_str::<Vec<serde_json::Value>>(&out).expect("JSON list")
}

#[test]
fn file_export_and_refile_with_the_binary() {
    let space = Space::new(None);
    let fixture = format!("{FIXTURES}/xdm/IHE_XDM.ZIP");
    let out = space.ok(&["dmp", "file-xdm", CAMILLE, &fixture]);
    assert!(out.contains("2 document(s) filed"), "{out}");
    let docs = list(&space, CAMILLE);
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().all(|d| d["category"] == "biologie"));
    assert!(docs.iter().all(|d| d["author_id"] == "10284642892"));

    // Another patient's package: refused, one line on stderr, nothing filed.
    let refused = space.run(&["dmp", "file-xdm", OTHER, &fixture]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    let last = err.trim().lines().last().unwrap_or_default();
    assert!(
        last.starts_with("santemail: ") && last.contains("autre patient"),
        "{err}"
    );
    assert!(list(&space, OTHER).is_empty());

    // Export; `unzip -l` lists the XDM layout.
    let zip = space.path("export.zip");
    space.ok(&["dmp", "export", CAMILLE, "--out", path_str(&zip)]);
    let listing = Command::new("unzip")
        .arg("-l")
        .arg(&zip)
        .output()
        .expect("unzip");
    assert!(listing.status.success());
    let listing = String::from_utf8_lossy(&listing.stdout);
    for name in [
        "README.TXT",
        "INDEX.HTM",
        "IHE_XDM/SUBSET01/METADATA.XML",
        "IHE_XDM/SUBSET01/DOC0001.XML",
        "IHE_XDM/SUBSET01/DOC0002.PDF",
    ] {
        assert!(listing.contains(name), "{name} missing:\n{listing}");
    }
    let test = Command::new("unzip")
        .arg("-t")
        .arg(&zip)
        .output()
        .expect("unzip -t");
    assert!(
        test.status.success(),
        "unzip -t: {}",
        String::from_utf8_lossy(&test.stdout)
    );

    // The export files back into a fresh space: same documents and metadata.
    let fresh = Space::new(None);
    fresh.ok(&["dmp", "file-xdm", CAMILLE, path_str(&zip)]);
    let back = list(&fresh, CAMILLE);
    let key = |d: &serde_json::Value| {
        [
            "unique_id",
            "title",
            "category",
            "type_code",
            "class_code",
            "mime_type",
            "file_name",
            "author_id",
            "created_at",
            "blob_id",
        ]
        .map(|k| d[k].to_string())
    };
    let mut a: Vec<_> = docs.iter().map(key).collect();
    let mut b: Vec<_> = back.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);

    let history = space.ok(&["dmp", "history", CAMILLE, "--json"]);
    assert!(history.contains("file_xdm"), "{history}");
    let matrix = space.ok(&["dmp", "matrix"]);
    assert!(
        matrix.contains("21  synthese, ordonnances, biologie, prevention"),
        "{matrix}"
    );
}
