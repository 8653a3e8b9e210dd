//! The JSON API, version 1, under `/api/v1`: what phones (offline sync) and scripts
//! use. Handlers are thin: each extracts the [`caller::Caller`] (the authentication),
//! calls one use case of `service::Services` (the authorization, the store and the
//! access log) and answers JSON. Errors are `app::error::AppError`, in the same shape
//! as the server functions' (see [`error`]).

mod access_log;
mod accounts;
mod caller;
mod conflicts;
mod devices;
mod error;
mod openapi;
mod photo_refusals;
mod photos;
mod pull;
mod records;
mod sync;

use axum::middleware;
use axum::routing::{get, patch, post};
use axum::Router;

use crate::ServerState;

pub fn router() -> Router<ServerState> {
    Router::new()
        .route("/me", get(accounts::me))
        .route("/contacts", get(records::list_contacts).post(records::create_contact))
        .route("/contacts/{id}", get(records::contact))
        .route("/signals", get(records::list_signals).post(records::create_signal))
        .route("/signals/{id}", get(records::signal).patch(records::change_signal))
        .route("/signals/{id}/photo", get(photos::signal_photo))
        .route("/users", get(accounts::list_users).post(accounts::create_user))
        .route("/users/{id}", patch(accounts::update_user))
        .route("/users/{id}/password-link", post(accounts::password_link))
        .route("/password/{token}", post(accounts::set_password))
        .route("/teams", get(accounts::list_teams).post(accounts::create_team))
        .route("/organisations", get(accounts::list_organisations).post(accounts::create_organisation))
        .route("/devices", get(devices::list_devices).post(devices::register_device))
        .route("/devices/{id}/revoke", post(devices::revoke_device))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(pull::pull))
        .route("/sync/conflicts", get(conflicts::list))
        .route("/sync/conflicts/{mutation_id}/resolve", post(conflicts::resolve))
        .route(
            "/sync/photos/{photo_id}",
            get(photos::state)
                .put(photos::declare)
                .patch(photos::upload_chunk)
                // axum's own 2 MiB cap would refuse a too-large chunk half-read and cut
                // the connection; the edge's limit (see `edge::body_limit`) reads it
                // whole, so the phone hears 413 `chunk_too_large` instead.
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/access-log", get(access_log::access_log))
        .route("/openapi.json", get(openapi::document))
        // The edge's answer for unknown `/api/…` paths, so the whole API answers alike.
        .fallback(crate::edge::unknown_api)
        .layer(middleware::from_fn(error::word_errors))
}
