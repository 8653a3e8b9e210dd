//! The built site: Leptos's options and the `/pkg` bundle (WASM, JS, CSS), served
//! pre-compressed (brotli, gzip) with a year-long cache. Asset URLs carry the bundle's
//! content hash (`?v=`), so a new release is fetched at once despite the cache.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::http::{header, HeaderValue};
use leptos::config::{Env, LeptosOptions};
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;

pub fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("wijkpost")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build()
}

/// The content hash written by scripts/build-site.sh, or "dev" when absent.
pub fn asset_version(site_root: &Path) -> Arc<str> {
    match std::fs::read_to_string(site_root.join("pkg/version.txt")) {
        Ok(v) if !v.trim().is_empty() => Arc::from(v.trim()),
        _ => {
            tracing::warn!(site_root = %site_root.display(), "no pkg/version.txt: was the site built? (scripts/build-site.sh)");
            Arc::from("dev")
        }
    }
}

pub fn pkg_service(
    options: &LeptosOptions,
) -> impl tower::Service<
    axum::extract::Request,
    Response = axum::response::Response<tower_http::services::fs::ServeFileSystemResponseBody>,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone
       + Send
       + Sync
       + 'static {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
}
