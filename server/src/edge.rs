//! The HTTP edge: what every request passes through. Bad input is answered here with
//! a 4xx and a sentence a person can act on; nothing here panics or answers 500 for
//! something the client did.

mod headers;
mod host;
mod refusal;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use app::error::AppError;
use app::i18n::Locale;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::ServerState;

pub use headers::provide_request_nonce;
pub use host::AllowedHosts;
pub use refusal::Refusal;

/// Header server_fn puts on every error response it produces.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// Server-function errors are small JSON values; anything larger is not one.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// What the edge needs from the configuration.
pub struct Settings {
    pub max_body_bytes: usize,
    pub hosts: AllowedHosts,
    /// Served over TLS: browsers are told to use nothing else (HSTS).
    pub hsts: bool,
}

/// Adds the edge's layers to the router (outermost last). The security headers wrap
/// every answer, the edge's own refusals included.
pub fn apply(router: Router<ServerState>, settings: Settings) -> Router<ServerState> {
    router
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn_with_state(settings.max_body_bytes, limit_body))
        .layer(middleware::from_fn(verify_origin))
        .layer(middleware::from_fn_with_state(Arc::new(settings.hosts), host::verify_host))
        .layer(middleware::from_fn(explain_bare_errors))
        .layer(middleware::from_fn_with_state(settings.hsts, headers::secure))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Any `/api/…` path no handler claims.
pub async fn unknown_api(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let sentence = (app::ssr::locale_of(&headers).refusals().unknown_endpoint)(method.as_str(), uri.path());
    Refusal::of_status(StatusCode::NOT_FOUND, sentence).into_response()
}

/// CSRF protection: a state-changing request must come from Wijkpost's own pages.
/// Browsers send `Sec-Fetch-Site` (and `Origin`) with every POST, so a form or script
/// on another site is refused here, before any handler runs — on top of the session
/// cookie's SameSite=Lax. Only a request that the header itself authenticates is not
/// checked: see [`authenticated_by_device`].
async fn verify_origin(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || authenticated_by_device(&request) {
        return next.run(request).await;
    }
    let words = app::ssr::locale_of(request.headers()).refusals();
    match same_origin(request.headers()) {
        Some(true) => next.run(request).await,
        Some(false) => Refusal::of_status(StatusCode::FORBIDDEN, words.other_website).into_response(),
        None => Refusal::of_status(StatusCode::FORBIDDEN, words.origin_unknown).into_response(),
    }
}

/// Where a device credential is the authentication: the JSON API, whose caller is the
/// header's and never the cookie's once the header is there (server/src/api/caller.rs).
const DEVICE_AUTHENTICATED: &str = "/api/v1/";

/// A phone's request to the JSON API with its device credential carries no ambient
/// authority (a page elsewhere cannot make a browser send that header). Anywhere else —
/// server functions, pages — only the cookie counts, so an `Authorization` header there
/// proves nothing and the request is checked like any other.
fn authenticated_by_device(request: &Request) -> bool {
    let device_scheme = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_start().split_once(' '))
        .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("device"));
    device_scheme && request.uri().path().starts_with(DEVICE_AUTHENTICATED)
}

/// `Some(true)` for a request from this site, `Some(false)` from another, `None` when
/// the request does not say.
fn same_origin(headers: &axum::http::HeaderMap) -> Option<bool> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return Some(matches!(site, "same-origin" | "none"));
    }
    let host = text(header::HOST)?;
    let origin = text(header::ORIGIN).or_else(|| text(header::REFERER))?;
    let origin_host = origin.split_once("://").map(|(_, rest)| rest.split('/').next().unwrap_or_default());
    Some(origin_host == Some(host))
}

/// Where photo chunks go: their limit is not the JSON bodies' one.
const PHOTO_CHUNKS: &str = "/api/v1/sync/photos/";

/// The largest body `request` may have: the configured one, except for a photo chunk.
/// A chunk may be 512 KiB (`domain::photo::MAX_CHUNK_BYTES`, which the handler checks
/// and answers with 413 `chunk_too_large`), but the edge reads up to a whole photo and
/// a chunk before refusing: a body refused before it is read makes the server close
/// the connection mid-upload, which a phone sees as a network error (and retries)
/// rather than as the 413 that tells it what is wrong. Only a logged-in caller gets
/// that far (the handler authenticates before it reads the body).
fn body_limit(request: &Request, max: usize) -> usize {
    if request.method() == Method::PATCH && request.uri().path().starts_with(PHOTO_CHUNKS) {
        let photo = usize::try_from(domain::photo::MAX_PHOTO_BYTES).unwrap_or(usize::MAX);
        max.max(photo.saturating_add(domain::photo::MAX_CHUNK_BYTES))
    } else {
        max
    }
}

/// Refuses a body whose declared length is over its limit before reading any of it,
/// and cuts off one that turns out longer while it is read (a chunked body). The
/// reader then fails, and each reader words that failure its own way (server functions
/// as a malformed request, 400), so the cut is remembered here and answered as what
/// it is: 413, with the limit.
async fn limit_body(State(max): State<usize>, request: Request, next: Next) -> Response {
    let limit = body_limit(&request, max);
    let locale = app::ssr::locale_of(request.headers());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return too_large(limit, locale);
    }
    let cut = Arc::new(AtomicBool::new(false));
    let noticed = cut.clone();
    let request = request.map(|body| {
        Body::new(Limited::new(body, limit).map_err(move |err| {
            if err.is::<LengthLimitError>() {
                noticed.store(true, Ordering::Relaxed);
            }
            err
        }))
    });
    let response = next.run(request).await;
    if cut.load(Ordering::Relaxed) {
        too_large(limit, locale)
    } else {
        response
    }
}

fn too_large(max: usize, locale: Locale) -> Response {
    Refusal::of_status(StatusCode::PAYLOAD_TOO_LARGE, (locale.refusals().body_too_large)(max / 1024)).into_response()
}

/// server_fn answers every error with 500; Wijkpost's errors know their own status
/// (422 invalid entry, 401, 403, 400 malformed request, 503). Converted here, once.
async fn server_fn_status(request: Request, next: Next) -> Response {
    let locale = app::ssr::locale_of(request.headers());
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    let Ok(err) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let refusal = Refusal::of_error(&err, locale);
    if refusal.status().is_server_error() {
        tracing::warn!(error = %err, "server function failed");
    }
    // The page decodes the error and words it itself; other clients get the sentence.
    refusal.replacing(&parts.headers)
}

/// Gives a sentence to 4xx answers produced without one (axum's 405), so no client
/// ever gets an empty refusal.
async fn explain_bare_errors(request: Request, next: Next) -> Response {
    let words = app::ssr::locale_of(request.headers()).refusals();
    let response = next.run(request).await;
    let status = response.status();
    let is_bare = status.is_client_error()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_none_or(|t| t == HeaderValue::from_static("text/plain; charset=utf-8"));
    if !is_bare {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    if !bytes.is_empty() && status != StatusCode::PAYLOAD_TOO_LARGE {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => words.too_large.to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => words.method_not_allowed.to_owned(),
        other => (words.refused)(other.as_u16()),
    };
    Refusal::of_status(status, message).replacing(&parts.headers)
}

#[cfg(test)]
mod tests {
    use super::{authenticated_by_device, same_origin};
    use axum::body::Body;
    use axum::extract::Request;
    use axum::http::{HeaderMap, HeaderValue};

    fn post(path: &str, authorization: &str) -> Request {
        Request::post(path).header("authorization", authorization).body(Body::empty()).expect("a request")
    }

    #[test]
    fn only_the_api_with_a_device_credential_skips_the_origin_check() {
        assert!(authenticated_by_device(&post("/api/v1/sync/push", "Device abc.def")));
        assert!(authenticated_by_device(&post("/api/v1/sync/push", "device abc.def")));
        assert!(!authenticated_by_device(&post("/api/v1/sync/push", "Bearer abc.def")));
        assert!(
            !authenticated_by_device(&post("/api/save_contact", "Device abc.def")),
            "server functions read the cookie"
        );
        assert!(!authenticated_by_device(&post("/api/login", "Device garbage")));
        assert!(!authenticated_by_device(&post("/contacts", "Device abc.def")));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_first() {
        assert_eq!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])), Some(true));
        assert_eq!(
            same_origin(&headers(&[("sec-fetch-site", "cross-site"), ("origin", "http://a"), ("host", "a")])),
            Some(false)
        );
        assert_eq!(same_origin(&headers(&[("sec-fetch-site", "same-site")])), Some(false));
    }

    #[test]
    fn otherwise_origin_must_match_host() {
        assert_eq!(
            same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")])),
            Some(true)
        );
        assert_eq!(
            same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "https://evil.example")])),
            Some(false)
        );
        assert_eq!(same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "null")])), Some(false));
        assert_eq!(same_origin(&headers(&[("host", "127.0.0.1:3000")])), None);
    }
}
