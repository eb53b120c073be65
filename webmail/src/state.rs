//! The state every handler receives (shared contract of the webmail crate).

use std::sync::Arc;

use crate::clock::Clock;
use crate::notify::Notifier;
use crate::settings::WebmailSettings;

/// Cheap to clone: every field is a handle.
#[derive(Clone)]
pub struct AppState {
    pub db: store::Db,
    pub blobs: store::BlobStore,
    /// The one delivery path (DESIGN §3): the webmail sends through it, never around it.
    pub pipeline: Arc<smtp::Pipeline>,
    pub settings: Arc<WebmailSettings>,
    pub notifier: Arc<Notifier>,
    pub clock: Arc<dyn Clock>,
    /// The DMP document store (dmp-bridge): the citizen's documents pages call it.
    pub dmp: Arc<dmp_bridge::Dmp>,
}

impl AppState {
    /// Unix seconds now, from the injectable clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}
