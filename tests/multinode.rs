//! Several `santemail serve` processes on one PostgreSQL and one blob folder (issue 8, multi-node):
//! a message submitted to node A wakes an IDLE session on node B (PostgreSQL LISTEN/NOTIFY), the
//! outbound queue is shared, and a node killed with SIGKILL while it holds a message loses
//! nothing — another node takes it over once the lease has passed.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{BIN, Smtp, Space, SpaceOptions, free_port, path_str, wait_for_port, wait_until};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const CARDIO: &str = "cardiologie@chu-exemple.mssante.example";

/// A second node of the same operator: the same config (database, blobs, PKI), its own listener
/// ports, and its own routes when given.
struct Node {
    child: Child,
    log: std::path::PathBuf,
    /// The node's implicit-TLS IMAP port.
    imaps: u16,
}

impl Node {
    fn start(space: &Space, name: &str, routes: &str) -> Node {
        let text = std::fs::read_to_string(&space.config).expect("config");
        let mut out = Vec::new();
        let mut in_routes = false;
        for line in text.lines() {
            if line.starts_with('[') {
                in_routes = line.trim() == "[smtp.routes]";
            }
            if in_routes && !line.starts_with('[') {
                continue;
            }
            // Every listener on a fresh port: same operator, another process.
            match line.split_once(" = \"127.0.0.1:") {
                Some((key, _)) => out.push(format!("{key} = \"127.0.0.1:{}\"", free_port())),
                None => out.push(line.to_string()),
            }
            if line.trim() == "[smtp.routes]" {
                out.push(routes.to_string());
            }
        }
        let config = space.path(&format!("{name}.toml"));
        std::fs::write(&config, out.join("\n")).expect("node config");
        let log = space.path(&format!("{name}.log"));
        let child = Command::new(BIN)
            .arg("serve")
            .env("SANTEMAIL_CONFIG", &config)
            .env("SANTEMAIL_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("spawn santemail serve");
        let port = |key: &str| {
            out.iter()
                .find_map(|l| l.strip_prefix(&format!("{key} = \"127.0.0.1:")))
                .and_then(|p| p.trim_end_matches('"').parse::<u16>().ok())
                .unwrap_or_else(|| panic!("no {key} port in the node config"))
        };
        let (submission, imaps) = (port("submission"), port("imaps"));
        wait_for_port(submission, Duration::from_secs(30));
        wait_for_port(imaps, Duration::from_secs(30));
        Node { child, log, imaps }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown code runs.
    fn kill_9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill_9();
    }
}

/// A TCP listener that accepts and never answers: a delivery attempt to it hangs, so the node
/// making it holds its claim on the message.
fn black_hole() -> (std::net::TcpListener, u16) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    (l, port)
}

#[test]
fn a_killed_node_loses_nothing_the_other_node_delivers() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    let (_hole, hole_port) = black_hole();
    // Operator A, node 1: its route to the CHU is a black hole, so it claims the message and hangs.
    let mut a = Space::with(SpaceOptions {
        database_url: Some(pg.url().to_string()),
        smtp_extra: format!(
            "retry_schedule_secs = [1]\nqueue_lease_secs = 3\n[smtp.routes]\n\
             \"chu-exemple.mssante.example\" = \"127.0.0.1:{hole_port}\"\n"
        ),
        ..SpaceOptions::default()
    });
    // Operator B (the CHU), reachable for real.
    let mut b = Space::with(SpaceOptions {
        hostname: "smtp.chu-exemple.mssante.example".into(),
        citizen_domain: "patient.chu-exemple.mssante.example".into(),
        professional_domains: vec!["chu-exemple.mssante.example".into()],
        shared_pki: Some(a.pki()),
        server_cert_domain: "chu-exemple.mssante.example".into(),
        ..SpaceOptions::default()
    });
    let (cert, key) = a.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    a.start();
    b.start();

    let text = format!("From: {DOCTOR}\r\nTo: {CARDIO}\r\nSubject: Transfert\r\n\r\nBonjour.\r\n");
    let r = Smtp::submission(&a)
        .cert(&cert, &key)
        .from(DOCTOR)
        .to(CARDIO)
        .text(&text)
        .send();
    assert_eq!(r["data"], 250, "{r}");
    // Node 1 has claimed it and is stuck on the black hole: kill it without mercy.
    std::thread::sleep(Duration::from_secs(1));
    a.kill();

    // Node 2 of operator A: same database and blobs, a working route to the CHU.
    let node2 = Node::start(
        &a,
        "node2",
        &format!(
            "\"chu-exemple.mssante.example\" = {{ host = \"127.0.0.1\", port = {}, tls_name = \"mx.chu-exemple.mssante.example\" }}",
            b.mta
        ),
    );
    assert!(
        wait_until(Duration::from_secs(40), || b.inbox_count(CARDIO) == 1),
        "node 2 never delivered the message node 1 held.\nnode 2 log:\n{}\nnode 1 log:\n{}",
        node2.log(),
        a.server_log()
    );
}

const IMAP_SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/clients/imap_scenario.py"
);

#[test]
fn a_message_submitted_to_node_a_wakes_an_idle_session_on_node_b() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    let mut a = Space::new(Some(pg.url()));
    let (cert, key) = a.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    a.start();
    let b = Node::start(&a, "node-b", "");

    // An IDLE session on node B, authenticated by the doctor's certificate.
    let mut idle = Command::new("python3")
        .args([
            IMAP_SCRIPT,
            "idle",
            "--imaps",
            &b.imaps.to_string(),
            "--cafile",
            path_str(&a.ca_bundle()),
            "--cert",
            path_str(&cert),
            "--key",
            path_str(&key),
            "--timeout",
            "10",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let stdout = idle.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert_eq!(
        first,
        "IDLING",
        "the IDLE client did not start.\nnode B log:\n{}",
        b.log()
    );

    // Submitted to node A.
    let text =
        format!("From: {DOCTOR}\r\nTo: {DOCTOR}\r\nSubject: Autre noeud\r\n\r\nBonjour.\r\n");
    let r = Smtp::submission(&a)
        .cert(&cert, &key)
        .from(DOCTOR)
        .to(DOCTOR)
        .text(&text)
        .send();
    assert_eq!(r["data"], 250, "{r}");
    let delivered = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let last = lines.last().and_then(Result::ok).unwrap_or_default();
    let _ = idle.wait();
    let v: serde_json::Value = serde_json::from_str(&last).expect("idle JSON");
    assert_eq!(
        v["failures"],
        serde_json::json!([]),
        "{v}\nnode B log:\n{}",
        b.log()
    );
    let delay = v["exists_at"].as_f64().unwrap_or(f64::MAX) - delivered;
    assert!(
        delay < 2.0,
        "EXISTS reached node B {delay:.3} s after node A's delivery"
    );
}
