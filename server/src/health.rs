//! `/healthz`: the process answers. `/readyz`: and its database does too — what a load
//! balancer should route on.

use std::sync::Arc;
use std::time::Duration;

use app::server::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    let backend = format!("{:?}", app.store.backend()).to_lowercase();
    match tokio::time::timeout(Duration::from_secs(2), app.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, Json(json!({ "status": "ready", "database": backend }))),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness: database not reachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": backend, "error": "database not reachable" })),
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": backend, "error": "database did not answer within 2 s" })),
        ),
    }
}

/// Expired sessions are refused at once; this only keeps the table small.
pub async fn expire_sessions_hourly(store: Arc<dyn store::Store>) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match store.delete_expired_sessions(chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
            Err(err) => tracing::warn!(error = %err, "could not remove expired sessions"),
        }
    }
}
