//! Sessions in the database, CSRF tokens, rate limits and lockout, one-time codes and the login
//! audit (issue 6, "Security").

pub mod audit;
pub mod client;
pub mod cookies;
pub mod csrf;
pub mod otp;
pub mod rate;
pub mod session;

use rand::RngExt;
use sha2::{Digest, Sha256};

pub use csrf::check_csrf;
pub use session::CitizenSession;

/// A fresh random token of 32 bytes (256 bits) in hex: session cookies, CSRF tokens, flow ids.
pub fn random_token() -> String {
    let mut rng = rand::rng();
    let bytes: [u8; 32] = std::array::from_fn(|_| rng.random());
    hex::encode(bytes)
}

/// The SHA-256 of a secret token, in hex: what the database stores instead of the token, so that
/// a copy of the database does not hand out live sessions.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time equality of two strings (tokens, code hashes).
pub fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
