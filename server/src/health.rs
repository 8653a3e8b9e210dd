//! `/healthz`: the process answers. `/readyz`: and its database does too — what a load
//! balancer should route on.

use std::time::Duration;

use app::ssr::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    let ready = app.services.readiness(Duration::from_secs(2)).await;
    match ready.reachable {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready", "database": ready.backend }))),
        Err(error) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": ready.backend, "error": error })),
        ),
    }
}

/// Runs the service's housekeeping every hour (see `service::housekeeping`).
pub async fn housekeeping_hourly(services: service::Services) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let (swept, _) = services.sweep().await;
        if swept != service::housekeeping::Swept::default() {
            tracing::info!(
                sessions = swept.sessions,
                contacts = swept.contacts,
                photo_uploads = swept.photo_uploads,
                "housekeeping"
            );
        }
    }
}
