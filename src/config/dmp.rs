//! `[dmp]`: the DMP document store (dmp-bridge): largest document, access-matrix rows that
//! replace the defaults, and the bounds on IHE XDM packages. The struct lives in `dmp-bridge`
//! so the library and the file cannot drift apart.

pub use dmp_bridge::DmpConfig;
