//! Two operators on one machine exchange mail over port 25 with mutual TLS; a stopped peer makes
//! mail wait and then arrive; an unknown remote user produces a DSN for the sender.

mod common;

use std::time::Duration;

use common::{Smtp, Space, SpaceOptions, path_str, wait_until};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const CARDIO: &str = "cardiologie@chu-exemple.mssante.example";

/// Operator A hosts the doctors (mx.mssante.example); operator B is the CHU
/// (smtp.chu-exemple.mssante.example). Both trust the same health PKI.
fn two_operators() -> (Space, Space) {
    two_operators_on(None)
}

/// Operator A on `a_database` (SQLite when `None`), operator B on SQLite.
fn two_operators_on(a_database: Option<&str>) -> (Space, Space) {
    let b_port = common::free_port();
    let a = Space::with(SpaceOptions {
        database_url: a_database.map(str::to_string),
        smtp_extra: format!(
            "retry_schedule_secs = [1]\n[smtp.routes]\n\"chu-exemple.mssante.example\" = \"127.0.0.1:{b_port}\"\n"
        ),
        ..SpaceOptions::default()
    });
    let mut b = Space::with(SpaceOptions {
        hostname: "smtp.chu-exemple.mssante.example".into(),
        citizen_domain: "patient.chu-exemple.mssante.example".into(),
        professional_domains: vec!["chu-exemple.mssante.example".into()],
        shared_pki: Some(a.pki()),
        server_cert_domain: "chu-exemple.mssante.example".into(),
        smtp_extra: format!(
            "retry_schedule_secs = [1]\n[smtp.routes]\n\"medecin.mssante.example\" = {{ host = \"127.0.0.1\", port = {}, tls_name = \"mx.mssante.example\" }}\n",
            a.mta
        ),
        ..SpaceOptions::default()
    });
    b.mta = b_port;
    rewrite_mta_port(&b, b_port);
    (a, b)
}

fn rewrite_mta_port(space: &Space, port: u16) {
    let text = std::fs::read_to_string(&space.config).expect("config");
    let fixed: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("mta = ") {
                format!("mta = \"127.0.0.1:{port}\"")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&space.config, fixed.join("\n")).expect("config");
}

fn send(a: &Space, cert: &std::path::Path, key: &std::path::Path, to: &str) -> serde_json::Value {
    let text =
        format!("From: {DOCTOR}\r\nTo: {to}\r\nSubject: Patient transfer\r\n\r\nBonjour.\r\n");
    Smtp::submission(a)
        .cert(cert, key)
        .from(DOCTOR)
        .to(to)
        .text(&text)
        .send()
}

#[test]
fn operators_exchange_mail_and_a_stopped_peer_gets_it_later() {
    let (mut a, mut b) = two_operators();
    let (cert, key) = a.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    a.start();
    b.start();

    let r = send(&a, &cert, &key, CARDIO);
    assert_eq!(r["data"], 250, "{r}");
    assert!(
        wait_until(Duration::from_secs(20), || b.inbox_count(CARDIO) == 1),
        "the CHU never got the message.\nA log:\n{}\nB log:\n{}",
        a.server_log(),
        b.server_log()
    );

    // The CHU answers over its own MTA link back to operator A.
    let (cardio_cert, cardio_key) = {
        b.ok(&[
            "certs",
            "issue",
            "org",
            "--dir",
            path_str(&b.pki()),
            "--email",
            CARDIO,
            "--structure",
            "370000481",
            "--name",
            "CHU EXEMPLE",
        ]);
        (
            b.pki().join("org").join(format!("{CARDIO}.pem")),
            b.pki().join("org").join(format!("{CARDIO}.key")),
        )
    };
    let reply =
        format!("From: {CARDIO}\r\nTo: {DOCTOR}\r\nSubject: Re: Patient transfer\r\n\r\nReçu.\r\n");
    let r = Smtp::submission(&b)
        .opt("--servername", "mx.chu-exemple.mssante.example")
        .cert(&cardio_cert, &cardio_key)
        .from(CARDIO)
        .to(DOCTOR)
        .text(&reply)
        .send();
    assert_eq!(r["data"], 250, "{r}");
    assert!(
        wait_until(Duration::from_secs(20), || a.inbox_count(DOCTOR) == 1),
        "the reply never came back.\nB log:\n{}",
        b.server_log()
    );

    // B stops: A keeps the message and delivers it when B is back.
    b.kill();
    let r = send(&a, &cert, &key, CARDIO);
    assert_eq!(r["data"], 250, "{r}");
    std::thread::sleep(Duration::from_secs(3));
    b.start();
    assert!(
        wait_until(Duration::from_secs(30), || b.inbox_count(CARDIO) == 2),
        "the queued message never arrived.\nA log:\n{}",
        a.server_log()
    );
}

#[test]
fn unknown_remote_user_produces_a_dsn() {
    dsn_scenario(two_operators());
}

#[test]
fn outbound_queue_and_dsn_on_postgresql() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    dsn_scenario(two_operators_on(Some(pg.url())));
}

fn dsn_scenario((mut a, mut b): (Space, Space)) {
    let (cert, key) = a.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    a.start();
    b.start();
    let r = send(&a, &cert, &key, "nobody@chu-exemple.mssante.example");
    // Accepted by A (the remote domain is whitelisted) …
    assert_eq!(r["data"], 250, "{r}");
    // … refused by B, so A bounces it to the doctor.
    assert!(
        wait_until(Duration::from_secs(20), || a.inbox_count(DOCTOR) == 1),
        "no DSN reached the sender.\nA log:\n{}",
        a.server_log()
    );
}

/// RFC 3461: NOTIFY=NEVER means no bounce, even for an unknown remote user.
#[test]
fn notify_never_suppresses_the_dsn() {
    let (mut a, mut b) = two_operators();
    let (cert, key) = a.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    a.start();
    b.start();
    let to = "nobody@chu-exemple.mssante.example";
    let text = format!("From: {DOCTOR}\r\nTo: {to}\r\nSubject: x\r\n\r\nx\r\n");
    let r = Smtp::submission(&a)
        .cert(&cert, &key)
        .from(DOCTOR)
        .to(to)
        .opt("--rcpt-option", "NOTIFY=NEVER")
        .text(&text)
        .send();
    assert_eq!(r["data"], 250, "{r}");
    // Wait for the attempt to fail for good at B, then make sure nothing came back.
    assert!(
        wait_until(Duration::from_secs(20), || a
            .server_log()
            .contains("delivery failed for good")),
        "the remote refusal never happened:\n{}",
        a.server_log()
    );
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        a.inbox_count(DOCTOR),
        0,
        "a DSN was sent despite NOTIFY=NEVER"
    );
}

/// A peer that never comes back: after the queue lifetime the sender gets a DSN saying so.
#[test]
fn expired_message_bounces_with_a_dsn() {
    let dead_port = common::free_port();
    let mut a = Space::with(SpaceOptions {
        smtp_extra: format!(
            "retry_schedule_secs = [1]\nqueue_lifetime_secs = 2\n[smtp.routes]\n\"chu-exemple.mssante.example\" = \"127.0.0.1:{dead_port}\"\n"
        ),
        ..SpaceOptions::default()
    });
    let (cert, key) = a.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    a.start();
    let r = send(&a, &cert, &key, CARDIO);
    assert_eq!(r["data"], 250, "{r}");
    assert!(
        wait_until(Duration::from_secs(20), || a.inbox_count(DOCTOR) == 1),
        "no DSN after expiry:\n{}",
        a.server_log()
    );
    let dump = a.path("dsn");
    a.ok(&["mailbox", "dump", DOCTOR, "--out", path_str(&dump)]);
    let dsn = std::fs::read_to_string(dump.join("1.eml")).expect("the DSN");
    assert!(dsn.contains("multipart/report"), "{dsn}");
    assert!(dsn.contains("Status: 4.4.7"), "{dsn}");
    assert!(
        dsn.contains(&format!("Final-Recipient: rfc822; {CARDIO}")),
        "{dsn}"
    );
    assert!(dsn.contains("Votre message n'a pas pu"), "{dsn}");
    assert!(dsn.contains("could not be delivered"), "{dsn}");
}
