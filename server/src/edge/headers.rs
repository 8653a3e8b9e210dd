//! The security headers every response carries — pages, errors, static files, the
//! bundle, the service worker, the JSON API — and the caching rule for personal data.
//!
//! The pages' inline scripts (the boot script in `app::BundleTags` and the resource
//! data Leptos streams) are allowed by a nonce made here for each request: it goes
//! into the request's extensions, Leptos renders it into those scripts (see
//! [`provide_request_nonce`]) and the same value goes into the policy below. No
//! `'unsafe-inline'`: a script injected into a page has no nonce and does not run.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};

/// What the browser may use: only this site's own scripts (plus the page's nonced inline
/// ones), WASM compiled by the page (`'wasm-unsafe-eval'`), and nothing framed, no
/// plugins, no `<base>` rewriting, forms posting only here.
fn content_security_policy(nonce: &Nonce) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' blob: data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Only what Wijkpost uses: the position for a signal, the camera for its photo.
/// Everything else a page could ask for is switched off, for this site and any frame.
const PERMISSIONS_POLICY: &str = "geolocation=(self), camera=(self), microphone=(), accelerometer=(), \
    autoplay=(), browsing-topics=(), display-capture=(), encrypted-media=(), fullscreen=(), gyroscope=(), \
    hid=(), idle-detection=(), magnetometer=(), midi=(), payment=(), picture-in-picture=(), \
    publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

/// A year, the usual HSTS lifetime; without `includeSubDomains`, which is the city's
/// decision for its other sites, not Wijkpost's.
const HSTS: &str = "max-age=31536000";

/// Adds the headers. `hsts`: the app is served over TLS (see `Config::serves_tls`).
pub async fn secure(State(hsts): State<bool>, mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Same-origin requests keep theirs: the CSRF check falls back on it (edge::same_origin).
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS_POLICY));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    keep_out_of_caches(headers);
    response
}

/// A response that did not choose its own caching (the bundle is immutable, the
/// worker and manifest are revalidated, a photo is `no-store`) may hold personal data
/// — a page, a server function's or the API's JSON, an error naming an account — and
/// is kept by no cache, shared or the browser's (the service worker keeps its own
/// copies per person, see server/src/pwa/sw.js). A file from the site root (icons)
/// carries `Last-Modified` and is only revalidated.
fn keep_out_of_caches(headers: &mut HeaderMap) {
    if headers.contains_key(header::CACHE_CONTROL) {
        return;
    }
    let rule = if headers.contains_key(header::LAST_MODIFIED) { "no-cache" } else { "no-store" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
}

/// Hands the request's nonce to Leptos, in place of the one leptos_axum made for its
/// render (it cannot reach the response headers): the scripts and the policy then
/// name the same value. Called from the routes' context (server/src/lib.rs).
pub fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_no_inline_script_without_the_nonce() {
        let nonce = Nonce::new();
        let policy = content_security_policy(&nonce);
        let scripts = policy.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or_default();
        assert!(!scripts.contains("unsafe-inline"), "{scripts}");
        assert!(scripts.contains(&format!("'nonce-{nonce}'")), "{scripts}");
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"] {
            assert!(policy.contains(directive), "{directive} in {policy}");
        }
        assert_ne!(Nonce::new(), nonce, "a new nonce for each request");
    }
}
