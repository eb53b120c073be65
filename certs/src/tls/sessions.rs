//! A server session cache that [`super::CrlReloader`] empties. A resumed session (TLS 1.3 PSK,
//! TLS 1.2 session id) skips client-certificate verification (RFC 8446 §2.2: the PSK stands for
//! the original authentication), so without this a certificate revoked after its first handshake
//! would keep resuming until the cache forgot it.

use std::sync::{Arc, RwLock};

use rustls::server::{ServerSessionMemoryCache, StoresServerSessions};

/// Entries kept, as rustls' default.
const SIZE: usize = 256;

#[derive(Debug)]
pub(crate) struct ResettableSessions {
    inner: RwLock<Arc<ServerSessionMemoryCache>>,
}

impl ResettableSessions {
    pub(crate) fn new() -> ResettableSessions {
        ResettableSessions {
            inner: RwLock::new(ServerSessionMemoryCache::new(SIZE)),
        }
    }

    fn current(&self) -> Arc<ServerSessionMemoryCache> {
        match self.inner.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Forgets every session: the next connection of each client is a full handshake.
    pub(crate) fn clear(&self) {
        let fresh = ServerSessionMemoryCache::new(SIZE);
        match self.inner.write() {
            Ok(mut g) => *g = fresh,
            Err(p) => *p.into_inner() = fresh,
        }
    }
}

impl StoresServerSessions for ResettableSessions {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        self.current().put(key, value)
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.current().get(key)
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.current().take(key)
    }

    fn can_cache(&self) -> bool {
        true
    }
}
