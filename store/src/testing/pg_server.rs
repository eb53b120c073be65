//! The one throwaway PostgreSQL server of a test process.

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use crate::StoreError;

/// Environment variable naming an existing server to use instead of starting one.
pub const EXTERNAL_URL_ENV: &str = "SANTEMAIL_TEST_POSTGRES_URL";
/// Environment variable naming the folder of `initdb`/`pg_ctl`, if not in the usual place.
pub const BIN_ENV: &str = "SANTEMAIL_PG_BIN";

struct Server {
    admin_url: String,
    /// Our end of the watchdog's pipe: when this process ends the kernel closes it, the watchdog
    /// reads EOF, stops the server and removes its folder. Kept for the life of the process.
    _watchdog: Mutex<ChildStdin>,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// The URL of the `postgres` database on the test server, as a superuser (trust auth on loopback).
/// Starts the server on first call.
pub fn postgres_admin_url() -> Result<String, StoreError> {
    if let Ok(url) = std::env::var(EXTERNAL_URL_ENV)
        && !url.is_empty()
    {
        return Ok(url);
    }
    match SERVER.get_or_init(start) {
        Ok(server) => Ok(server.admin_url.clone()),
        Err(msg) => Err(StoreError::Invalid(msg.clone())),
    }
}

fn start() -> Result<Server, String> {
    let bin = find_bin_dir()?;
    let as_root = std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    // initdb and pg_ctl refuse to run as root: run them as `postgres`, on a folder it owns.
    let cmd = |program: &Path| -> Command {
        if as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    };
    let mut mktemp = if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "mktemp"]);
        c
    } else {
        Command::new("mktemp")
    };
    let out = mktemp
        .args(["-d", "/tmp/santemail-pg.XXXXXX"])
        .output()
        .map_err(|e| format!("cannot run mktemp (as postgres: {as_root}): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "mktemp failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim().to_string());
    let data = dir.join("data");
    let watchdog = spawn_watchdog(&bin.join("pg_ctl"), &data, &dir, as_root)?;

    run(cmd(&bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"])
        .arg("--no-instructions")
        .current_dir("/tmp"))?;

    // Durability tests need fsync on: no `-F`, no `fsync=off`.
    let mut last_err = String::new();
    for _ in 0..5 {
        let port = free_port()?;
        let opts = format!(
            "-p {port} -h 127.0.0.1 -k {} -c max_connections=400 -c shared_buffers=32MB",
            dir.display()
        );
        let result = run(cmd(&bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &opts, "start"])
            .current_dir("/tmp"));
        match result {
            Ok(()) => {
                return Ok(Server {
                    admin_url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
                    _watchdog: Mutex::new(watchdog),
                });
            }
            Err(e) => {
                let mut log = String::new();
                if let Ok(mut f) = std::fs::File::open(dir.join("server.log")) {
                    let _ = f.read_to_string(&mut log);
                }
                let tail: String = log.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
                last_err = format!("{e}; server log: {tail}");
            }
        }
    }
    Err(format!(
        "cannot start the test PostgreSQL server: {last_err}"
    ))
}

fn find_bin_dir() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var(BIN_ENV) {
        let dir = PathBuf::from(dir);
        if dir.join("initdb").is_file() {
            return Ok(dir);
        }
        return Err(format!("{BIN_ENV}={} has no initdb", dir.display()));
    }
    find_bin_dir_in(&["/usr/lib/postgresql", "/usr/local/lib/postgresql"])
}

/// The `bin` folder of the newest PostgreSQL version under `roots` (Debian layout `<root>/15/bin`).
fn find_bin_dir_in(roots: &[&str]) -> Result<PathBuf, String> {
    let mut candidates: Vec<(u32, PathBuf)> = Vec::new();
    for root in roots {
        let Ok(entries) = std::fs::read_dir(root) else {
            continue;
        };
        for entry in entries.flatten() {
            let bin = entry.path().join("bin");
            let version = entry
                .file_name()
                .to_string_lossy()
                .split('.')
                .next()
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0);
            if bin.join("initdb").is_file() && bin.join("pg_ctl").is_file() {
                candidates.push((version, bin));
            }
        }
    }
    candidates.sort();
    candidates.pop().map(|(_, bin)| bin).ok_or_else(|| {
        format!(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin: \
             install them with `apt-get install postgresql`, or set {BIN_ENV} to their folder, or \
             {EXTERNAL_URL_ENV} to an existing server"
        )
    })
}

/// A shell that waits for EOF on stdin (our end closes when this process ends, crash included),
/// then stops the server and removes its folder. Own process group, so Ctrl-C spares it.
fn spawn_watchdog(
    pg_ctl: &Path,
    data: &Path,
    dir: &Path,
    as_root: bool,
) -> Result<ChildStdin, String> {
    let stop = if as_root {
        "runuser -u postgres -- \"$1\" -D \"$2\" -m immediate stop"
    } else {
        "\"$1\" -D \"$2\" -m immediate stop"
    };
    let script = format!("cat >/dev/null; {stop} >/dev/null 2>&1; rm -rf \"$3\"");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("santemail-pg-watchdog")
        .arg(pg_ctl)
        .arg(data)
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .current_dir("/tmp")
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the cleanup watchdog (sh): {e}"))?;
    child
        .stdin
        .take()
        .ok_or_else(|| "watchdog has no stdin".to_string())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{shown} failed ({}): {} {}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot find a free loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot read the free port: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_binaries_say_what_to_install() {
        let err = find_bin_dir_in(&["/nonexistent/postgresql"]).unwrap_err();
        assert!(err.contains("apt-get install postgresql"), "{err}");
    }

    #[test]
    fn newest_version_is_picked() {
        let dir = tempfile::tempdir().unwrap();
        for v in ["13", "15", "9.6"] {
            let bin = dir.path().join(v).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            std::fs::write(bin.join("initdb"), b"").unwrap();
            std::fs::write(bin.join("pg_ctl"), b"").unwrap();
        }
        let root = dir.path().display().to_string();
        assert_eq!(
            find_bin_dir_in(&[&root]).unwrap(),
            dir.path().join("15").join("bin")
        );
    }
}
