//! The PKI state file (`pki.json`): the operator identity used for server certificates, every
//! certificate issued (serial, issuing CA, file) and revocations, so that `revoke` can regenerate
//! the issuing CA's CRL. Writes are atomic (temp file, fsync, rename) and serialised by an
//! exclusive lock on `.pki.lock`.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{CaName, Operator};
use crate::CertsError;
use crate::ids::{StructureId, StructureKind};

pub(crate) const STATE_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    pub version: u32,
    /// Label in the CA names (`AC RACINE IGC-SANTE <label>`).
    pub label: String,
    pub operator: OperatorState,
    /// Last CRL number per CA (RFC 5280 §5.2.3: monotonically increasing).
    pub crl_numbers: BTreeMap<CaName, u64>,
    pub certificates: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct OperatorState {
    pub name: String,
    pub siren: String,
    pub state_province: Option<String>,
}

impl OperatorState {
    pub fn to_operator(&self) -> Result<Operator, CertsError> {
        Ok(Operator {
            name: self.name.clone(),
            structure: StructureId::parse(&self.siren, StructureKind::Siren)?,
            state_province: self.state_province.clone(),
        })
    }
}

/// One issued certificate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// Lower-case hex, as in `PeerIdentity::serial`.
    pub serial: String,
    pub ca: CaName,
    pub kind: String,
    pub subject: String,
    /// Relative to the PKI folder when inside it.
    pub path: String,
    /// Unix seconds.
    pub not_after: i64,
    pub revoked_at: Option<i64>,
    /// RFC 5280 §5.3.1 reason code.
    pub reason: Option<u8>,
}

impl State {
    pub fn load(path: &Path) -> Result<State, CertsError> {
        let text = fs::read_to_string(path).map_err(CertsError::io(path))?;
        let state: State = serde_json::from_str(&text).map_err(|e| CertsError::State {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        if state.version != STATE_VERSION {
            return Err(CertsError::State {
                path: path.to_path_buf(),
                message: format!(
                    "version {} is not supported (expected {STATE_VERSION})",
                    state.version
                ),
            });
        }
        Ok(state)
    }

    pub fn save(&self, path: &Path) -> Result<(), CertsError> {
        let text = serde_json::to_string_pretty(self).map_err(|e| CertsError::State {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        write_atomic(path, text.as_bytes(), 0o644)
    }

    pub fn next_crl_number(&mut self, ca: CaName) -> u64 {
        let n = self.crl_numbers.entry(ca).or_insert(0);
        *n += 1;
        *n
    }
}

/// Takes the PKI's exclusive lock (blocks while another process holds it); released on drop.
pub(crate) fn lock(dir: &Path) -> Result<File, CertsError> {
    let path = dir.join(".pki.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&path)
        .map_err(CertsError::io(&path))?;
    file.lock().map_err(CertsError::io(&path))?;
    Ok(file)
}

/// Writes `bytes` to `path` with `mode` from the start (a key is never readable by others, not
/// even for an instant), fsyncs, then renames over the target.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), CertsError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(CertsError::io(parent))?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.tmp"));
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(mode)
        .open(&tmp)
        .map_err(CertsError::io(&tmp))?;
    // `mode` is filtered by the umask and ignored for an existing file: set it explicitly.
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
        .map_err(CertsError::io(&tmp))?;
    file.write_all(bytes).map_err(CertsError::io(&tmp))?;
    file.sync_all().map_err(CertsError::io(&tmp))?;
    fs::rename(&tmp, path).map_err(CertsError::io(path))?;
    Ok(())
}
