//! PKCS#12 bundles (certificate + chain + key, password-protected) that mail clients import.

use std::path::Path;

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::PKey;
use openssl::stack::Stack;
use openssl::x509::X509;

use crate::CertsError;
use crate::identity::PeerIdentity;

/// How the bundle is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum P12Encryption {
    /// OpenSSL 3 defaults: AES-256-CBC, PBKDF2, HMAC-SHA256.
    #[default]
    Modern,
    /// 3DES + SHA-1 MAC, for older importers (macOS before 14, Windows before 10 1709).
    Legacy,
}

/// Builds a PKCS#12 (DER) from a PEM chain (leaf first) and its key. The friendly name is the
/// leaf's common name. Refuses a key that does not belong to the leaf.
pub fn bundle(
    cert_chain: &Path,
    key: &Path,
    password: &str,
    encryption: P12Encryption,
) -> Result<Vec<u8>, CertsError> {
    let chain_pem = std::fs::read(cert_chain).map_err(CertsError::io(cert_chain))?;
    let key_pem = std::fs::read(key).map_err(CertsError::io(key))?;
    let mut certs = X509::stack_from_pem(&chain_pem)
        .map_err(|e| CertsError::File {
            path: cert_chain.to_path_buf(),
            message: format!("invalid PEM certificate chain: {e}"),
        })?
        .into_iter();
    let leaf = certs.next().ok_or_else(|| CertsError::File {
        path: cert_chain.to_path_buf(),
        message: "no certificate found".into(),
    })?;
    let pkey = PKey::private_key_from_pem(&key_pem).map_err(|e| CertsError::File {
        path: key.to_path_buf(),
        message: format!("invalid PEM private key: {e}"),
    })?;
    if !leaf.public_key()?.public_eq(&pkey) {
        return Err(CertsError::File {
            path: key.to_path_buf(),
            message: format!(
                "this key does not belong to the certificate in {}",
                cert_chain.display()
            ),
        });
    }
    let name = PeerIdentity::from_der(&leaf.to_der()?)?
        .common_name
        .unwrap_or_else(|| "santemail".into());
    let mut ca = Stack::new()?;
    for c in certs {
        ca.push(c)?;
    }
    let mut builder = Pkcs12::builder();
    builder.name(&name).pkey(&pkey).cert(&leaf).ca(ca);
    if encryption == P12Encryption::Legacy {
        builder
            .key_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .cert_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .mac_md(MessageDigest::sha1());
    }
    Ok(builder.build2(password)?.to_der()?)
}

/// Writes [`bundle`] to `out` with mode 0600 (it holds the private key).
pub fn write(
    cert_chain: &Path,
    key: &Path,
    out: &Path,
    password: &str,
    encryption: P12Encryption,
) -> Result<(), CertsError> {
    let der = bundle(cert_chain, key, password, encryption)?;
    crate::pki::write_private(out, &der)
}

/// A random password of 20 characters (about 115 bits) from an alphabet without look-alikes,
/// for when the operator does not choose one.
pub fn random_password() -> Result<String, CertsError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        let mut b = [0u8; 1];
        openssl::rand::rand_bytes(&mut b)?;
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - (256 % ALPHABET.len());
        if (b[0] as usize) < limit {
            out.push(ALPHABET[b[0] as usize % ALPHABET.len()] as char);
        }
    }
    Ok(out)
}
