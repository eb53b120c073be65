//! Outbound delivery to other operators: queue workers, the TLS client, routes, DSNs.

pub mod client;
pub mod dsn;
pub mod routes;
pub mod worker;
