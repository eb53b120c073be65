//! One error type for the crate; each message says what to fix.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CertsError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    #[error(
        "a PKI already exists in {} (found {}); pass --force to replace it",
        dir.display(),
        found.display()
    )]
    AlreadyExists { dir: PathBuf, found: PathBuf },
    #[error(
        "no dev PKI in {} (missing {}): run `santemail certs init --dir {}` first",
        dir.display(),
        missing.display(),
        dir.display()
    )]
    NoPki { dir: PathBuf, missing: PathBuf },
    #[error("{} already exists; choose another --out or pass --force to overwrite it", .0.display())]
    FileExists(PathBuf),
    #[error("invalid {what}: {message}")]
    Invalid { what: &'static str, message: String },
    #[error("{}: not issued by this PKI (issuer: {issuer})", path.display())]
    ForeignCertificate { path: PathBuf, issuer: String },
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("cannot parse certificate: {0}")]
    Parse(String),
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
    #[error("certificate verifier (roots or CRLs): {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    #[error("PKCS#12 / OpenSSL: {0}")]
    OpenSsl(#[from] openssl::error::ErrorStack),
    #[error("state file {}: {message}", path.display())]
    State { path: PathBuf, message: String },
}

impl CertsError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> CertsError {
        let path = path.into();
        move |source| CertsError::Io { path, source }
    }

    pub(crate) fn invalid(what: &'static str, message: impl Into<String>) -> CertsError {
        CertsError::Invalid {
            what,
            message: message.into(),
        }
    }
}
