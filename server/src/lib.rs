//! Wijkpost's server: wires the store, the Leptos app and the HTTP edge together.
//! `main.rs` only loads the configuration and calls [`run`]; tests call [`start`], or
//! [`start_with_clock`] to run the server on a clock they move.

// Leptos's typed views nest deeply; the pages' types exceed the default limit of 128.
#![recursion_limit = "256"]

mod api;
pub mod config;
mod edge;
mod health;
mod language;
mod pwa;
mod seed;
mod site;
pub mod telemetry;

use std::sync::Arc;

use app::ssr::{AppState, CookieSettings};
use axum::extract::FromRef;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("cannot open the database {url}: {source}")]
    Store { url: String, source: store::StoreError },
    #[error("cannot seed demo data: {0}")]
    Seed(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("server failed: {0}")]
    Serve(#[source] std::io::Error),
}

/// Everything handlers can extract with `State<…>`.
#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> Self {
        state.app.clone()
    }
}

/// A running server, for tests and for [`run`].
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub state: ServerState,
    /// The store, for tests and benchmarks to look up ids and set up data. Handlers
    /// never see it: they get `Services`, whose store is private.
    pub store: SharedStore,
    pub demo_accounts: Option<Vec<store::demo::DemoAccount>>,
    listener: TcpListener,
    router: Router,
}

/// Opens the store, seeds demo data if asked, binds the port; does not serve yet.
/// Runs on the system's clock.
pub async fn start(config: &Config) -> Result<Running, ServerError> {
    start_with_clock(config, Arc::new(domain::SystemClock)).await
}

/// [`start`], with every "now" of the use cases (and the demo data's) read from `clock`:
/// tests of expiry, throttling and retention move a `domain::ManualClock` instead of
/// waiting.
pub async fn start_with_clock(config: &Config, clock: Arc<dyn domain::Clock>) -> Result<Running, ServerError> {
    let public_origin = config.public_origin().map_err(ServerError::Config)?;
    let url = config.database_url.expose_secret();
    let store = store::connect(url)
        .await
        .map_err(|source| ServerError::Store { url: config.database_url_redacted(), source })?;
    let services = service::Services::new(store.clone(), config.service_settings(), clock);
    let demo_accounts =
        if config.demo_data { Some(seed::seed_demo(store.as_ref(), services.now()).await?) } else { None };

    let listener =
        TcpListener::bind(config.listen).await.map_err(|source| ServerError::Listen { addr: config.listen, source })?;
    let addr = listener.local_addr().map_err(ServerError::Serve)?;
    let state = ServerState {
        leptos: site::leptos_options(config, addr),
        app: AppState {
            services,
            cookies: CookieSettings { secure: config.secure_cookies },
            asset_version: site::asset_version(&config.site_root),
            trust_forwarded_for: config.trust_forwarded_for,
        },
    };
    let edge = edge::Settings {
        max_body_bytes: config.max_body_bytes,
        hosts: edge::AllowedHosts::new(public_origin.as_ref(), addr),
        hsts: config.serves_tls(),
    };
    let router = router(state.clone(), edge);
    Ok(Running { addr, state, store, demo_accounts, listener, router })
}

impl Running {
    /// Serves until SIGINT/SIGTERM, then lets requests in flight finish.
    pub async fn serve(self) -> Result<(), ServerError> {
        let services = &self.state.app.services;
        let cleanup = tokio::spawn(health::housekeeping_hourly(services.clone()));
        let service = self.router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        let result = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(ServerError::Serve);
        cleanup.abort();
        tracing::info!("wijkpost stopped");
        result
    }
}

/// Starts, prints how to reach the app, and serves.
pub async fn run(config: Config) -> Result<(), ServerError> {
    tracing::info!(database = %config.database_url_redacted(), "starting wijkpost");
    let running = start(&config).await?;
    if let Some(accounts) = &running.demo_accounts {
        seed::print_demo_accounts(accounts);
    }
    println!("\nWijkpost is running: open http://{}/\n", running.addr);
    running.serve().await
}

fn router(state: ServerState, edge: edge::Settings) -> Router {
    let routes = generate_route_list(app::App);
    let app_state = state.app.clone();
    let leptos_options = state.leptos.clone();
    let context = move || {
        provide_context(app_state.clone());
        edge::provide_request_nonce();
    };
    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/lang/{tag}", get(language::choose))
        .merge(pwa::router())
        .leptos_routes_with_context(&state, routes, context.clone(), move || app::shell(leptos_options.clone()))
        .nest_service("/pkg", site::pkg_service(&state.leptos))
        .nest("/api/v1", api::router())
        .route("/api/{*rest}", axum::routing::any(edge::unknown_api))
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(context, app::shell));
    edge::apply(router, edge).with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}

/// Keeps `Arc` in the public API readable for tests.
pub type SharedStore = Arc<dyn store::Store>;
