//! Where mail for a remote domain goes: a static table from the configuration first (operators
//! often peer by agreement), DNS MX otherwise (RFC 5321 §5.1), lowest preference first.

use std::collections::HashMap;

use hickory_resolver::TokioResolver;
use tracing::debug;

/// One next hop: where to connect, and the name its certificate must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub host: String,
    pub port: u16,
    pub tls_name: String,
}

/// A configured route: `host:port`, and optionally the certificate name when `host` is an IP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticRoute {
    pub host: String,
    pub port: u16,
    pub tls_name: Option<String>,
}

impl StaticRoute {
    /// Parses `host:port`, `host` (port 25) or `[v6]:port`.
    pub fn parse(spec: &str) -> Option<StaticRoute> {
        let spec = spec.trim();
        let (host, port) = match spec.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(':') => (h, p.parse().ok()?),
            _ => (spec, 25),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        (!host.is_empty()).then(|| StaticRoute {
            host: host.to_string(),
            port,
            tls_name: None,
        })
    }
}

pub struct Routes {
    table: HashMap<String, StaticRoute>,
    resolver: Option<TokioResolver>,
}

#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    #[error("no route to {0}: not in the static table and DNS is unavailable")]
    NoResolver(String),
    #[error("DNS lookup of MX for {0} failed: {1}")]
    Dns(String, String),
}

impl Routes {
    pub fn new(table: HashMap<String, StaticRoute>) -> Routes {
        let resolver = TokioResolver::builder_tokio().ok().map(|b| b.build());
        Routes {
            table: table
                .into_iter()
                .map(|(d, r)| (d.to_ascii_lowercase(), r))
                .collect(),
            resolver,
        }
    }

    pub async fn hops(&self, domain: &str) -> Result<Vec<Hop>, RouteError> {
        let domain = domain.to_ascii_lowercase();
        if let Some(r) = self.table.get(&domain) {
            let tls_name = r.tls_name.clone().unwrap_or_else(|| {
                if r.host.parse::<std::net::IpAddr>().is_ok() {
                    format!("mx.{domain}")
                } else {
                    r.host.clone()
                }
            });
            return Ok(vec![Hop {
                host: r.host.clone(),
                port: r.port,
                tls_name,
            }]);
        }
        let resolver = self
            .resolver
            .as_ref()
            .ok_or_else(|| RouteError::NoResolver(domain.clone()))?;
        let lookup = resolver
            .mx_lookup(domain.as_str())
            .await
            .map_err(|e| RouteError::Dns(domain.clone(), e.to_string()))?;
        let mut mx: Vec<(u16, String)> = lookup
            .iter()
            .map(|m| {
                (
                    m.preference(),
                    m.exchange().to_ascii().trim_end_matches('.').to_string(),
                )
            })
            .collect();
        mx.sort();
        debug!(domain, ?mx, "MX lookup");
        Ok(mx
            .into_iter()
            .map(|(_, host)| Hop {
                tls_name: host.clone(),
                host,
                port: 25,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_static_routes() {
        let cases = [
            ("127.0.0.1:2525", Some(("127.0.0.1", 2525))),
            ("mx.other.example", Some(("mx.other.example", 25))),
            ("[::1]:2525", Some(("::1", 2525))),
            ("host:notaport", None),
            ("", None),
        ];
        for (spec, want) in cases {
            let got = StaticRoute::parse(spec).map(|r| (r.host, r.port));
            assert_eq!(got, want.map(|(h, p)| (h.to_string(), p)), "{spec}");
        }
    }

    #[tokio::test]
    async fn static_route_wins_and_names_the_certificate() {
        let mut t = HashMap::new();
        t.insert(
            "Other.Example".to_string(),
            StaticRoute::parse("127.0.0.1:2525").unwrap(),
        );
        let routes = Routes::new(t);
        let hops = routes.hops("other.example").await.unwrap();
        assert_eq!(hops[0].tls_name, "mx.other.example");
        assert_eq!(hops[0].port, 2525);
    }
}
