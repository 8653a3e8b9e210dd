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
    let store = &app.services.store;
    let backend = format!("{:?}", store.backend()).to_lowercase();
    match tokio::time::timeout(Duration::from_secs(2), store.ping()).await {
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
            Json(
                json!({ "status": "unavailable", "database": backend, "error": "database did not answer within 2 s" }),
            ),
        ),
    }
}

/// Expired sessions are refused at once; this only keeps the tables small. Street
/// contacts past their retention are deleted here too, each leaving a tombstone in the
/// change feed so phones drop their copy at the next pull.
pub async fn expire_sessions_hourly(store: Arc<dyn store::Store>, contact_retention: chrono::Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let now = chrono::Utc::now();
        match store.delete_expired_sessions(now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
            Err(err) => tracing::warn!(error = %err, "could not remove expired sessions"),
        }
        // Failed log-ins older than the longest throttling window no longer count.
        if let Err(err) = store.delete_login_failures_before(now - service::throttle::LONGEST_WINDOW).await {
            tracing::warn!(error = %err, "could not remove old log-in failures");
        }
        match store.delete_contacts_before(now - contact_retention, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "street contacts past their retention deleted"),
            Err(err) => tracing::warn!(error = %err, "could not delete street contacts past their retention"),
        }
        // A photo upload untouched for a week was abandoned; see domain::photo.
        let stale = now - chrono::Duration::days(domain::photo::STALE_UPLOAD_DAYS);
        match store.delete_stale_photo_uploads(stale).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "abandoned photo uploads removed"),
            Err(err) => tracing::warn!(error = %err, "could not remove abandoned photo uploads"),
        }
    }
}
