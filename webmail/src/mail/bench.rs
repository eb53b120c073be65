//! Server-side timing of webmail pages for `santemail bench webmail`: a request goes through the
//! whole router (session lookup, security headers, handler, template) in process, without TLS
//! or the network, so the figure is the server's own cost.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::error::WebError;

/// One timed GET with a session cookie: HTTP status code, body length, time to the last body
/// byte.
pub async fn timed_get(
    router: &Router,
    uri: &str,
    cookie: &str,
) -> Result<(u16, usize, Duration), WebError> {
    let req = Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .map_err(WebError::internal)?;
    let start = Instant::now();
    let res = router
        .clone()
        .oneshot(req)
        .await
        .map_err(WebError::internal)?;
    let status = res.status().as_u16();
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(WebError::internal)?
        .to_bytes();
    Ok((status, body.len(), start.elapsed()))
}
