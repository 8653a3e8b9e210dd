//! What makes Wijkpost an installable app that opens without signal: the web app
//! manifest and the service worker. The worker is served from here rather than as a
//! static file so it carries the bundle's version: each release is then a new worker,
//! which the browser installs in the background (the page offers the reload).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::ServerState;

const WORKER: &str = include_str!("pwa/sw.js");
const MANIFEST: &str = include_str!("pwa/manifest.webmanifest");

pub fn router() -> Router<ServerState> {
    Router::new().route("/sw.js", get(worker)).route("/manifest.webmanifest", get(manifest))
}

async fn worker(State(state): State<ServerState>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // Always asked again, so a release reaches phones at their next page load.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        WORKER.replace("__VERSION__", &state.app.asset_version),
    )
}

async fn manifest() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/manifest+json"), (header::CACHE_CONTROL, "no-cache")], MANIFEST)
}
