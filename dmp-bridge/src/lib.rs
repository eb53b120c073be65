//! `dmp-bridge`: the DMP document store (DESIGN.md §7) and the bridge from mail and IHE XDM.
//!
//! - [`categories`]: the 8 categories and the one class/LOINC code table.
//! - [`document`]: a document and its rows; [`patient`]: the patient's access choices.
//! - [`access`]: the access matrix and visibility rules (pure, table-tested).
//! - [`audit`]: the history the citizen reads, and [`CitizenNotifier`].
//! - [`xdm`]: read, check (hostile zips), file and export IHE XDM packages.
//! - [`Dmp`]: the service the webmail ([`citizen`]) and the professional API ([`api`],
//!   [`professional`]) call. `README.md` of this crate documents the citizen API.

pub mod access;
pub mod api;
pub mod audit;
pub mod categories;
pub mod citizen;
pub mod document;
pub mod error;
pub mod patient;
pub mod professional;
pub mod xdm;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use store::{BlobStore, Db};

pub use access::{AccessMatrix, Mode, PatientSettings, Professional, Viewer};
pub use audit::{Action, AuditEntry, CitizenNotifier, DocumentEvent, LogNotifier};
pub use categories::Category;
pub use citizen::{Citizen, NewFile};
pub use document::{AuthorKind, Document, DocumentMeta, Source, Visibility};
pub use error::{DmpError, XdmRejection};
pub use xdm::safety::XdmLimits;

/// The `[dmp]` section of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DmpConfig {
    /// Rows of the access matrix that replace the defaults: profession code (RPPS nomenclature,
    /// `"10"` médecin, `"21"` pharmacien…) → category slugs it may read.
    pub matrix: BTreeMap<String, Vec<Category>>,
    /// Largest single document (upload, attachment, API deposit), in bytes.
    pub max_document_bytes: u64,
    /// Bounds on XDM packages.
    pub xdm: XdmLimits,
}

impl Default for DmpConfig {
    fn default() -> Self {
        DmpConfig {
            matrix: BTreeMap::new(),
            max_document_bytes: 100_000_000,
            xdm: XdmLimits::default(),
        }
    }
}

/// The DMP service: database, blob store, access matrix, limits and the citizen notifier.
/// Cheap to clone.
#[derive(Clone)]
pub struct Dmp {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    blobs: BlobStore,
    matrix: AccessMatrix,
    limits: XdmLimits,
    max_document_bytes: u64,
    notifier: Arc<dyn CitizenNotifier>,
}

impl std::fmt::Debug for Dmp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dmp")
            .field("db", &self.inner.db)
            .finish_non_exhaustive()
    }
}

impl Dmp {
    pub fn new(
        db: Db,
        blobs: BlobStore,
        config: &DmpConfig,
        notifier: Arc<dyn CitizenNotifier>,
    ) -> Dmp {
        Dmp {
            inner: Arc::new(Inner {
                db,
                blobs,
                matrix: AccessMatrix::with_overrides(&config.matrix),
                limits: config.xdm,
                max_document_bytes: config.max_document_bytes,
                notifier,
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }
    pub fn blobs(&self) -> &BlobStore {
        &self.inner.blobs
    }
    pub fn matrix(&self) -> &AccessMatrix {
        &self.inner.matrix
    }
    pub fn limits(&self) -> &XdmLimits {
        &self.inner.limits
    }
    pub fn max_document_bytes(&self) -> u64 {
        self.inner.max_document_bytes
    }
    pub(crate) fn notifier(&self) -> &Arc<dyn CitizenNotifier> {
        &self.inner.notifier
    }
}
