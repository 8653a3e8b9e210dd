//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.
//!
//! The schemas are derived from the real types: `domain` and `service` derive
//! `utoipa::ToSchema` behind their `openapi` feature, which only the server turns on,
//! so the browser bundle stays free of documentation dependencies. What is described
//! here has no counterpart elsewhere: the error body and the ways in.

use axum::Json;
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::{accounts, conflicts, devices, photos, pull, records, sync};

/// Every error: `error` is the code to act on, `message` a sentence for a person.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// `invalid`, `not_logged_in`, `login_failed`, `locked_out`, `device_revoked`,
    /// `not_found`, `link_invalid`, `conflict`, `forbidden`, `unavailable`, `bad_request`;
    /// from `POST /sync/push` also `device_required` (403) and `batch_too_large` (413); from
    /// `/sync/photos/…` also `record_not_synced`, `offset_mismatch` (409), `photo_too_large`,
    /// `chunk_too_large` (413), `unsupported_photo_type` (415), `chunk_past_end`,
    /// `photo_mismatch` and `not_a_jpeg` (422).
    pub error: String,
    /// In the requester's language (Accept-Language or the `wijkpost_lang` cookie).
    pub message: String,
    pub status: u16,
    /// With `invalid`: every refused field, `{"field": "kind", "problem": "required"}`.
    pub errors: Option<Vec<serde_json::Value>>,
    /// With `bad_request` and `conflict`: what was wrong.
    pub detail: Option<String>,
    /// With `locked_out`: the local time ("21:40") and minutes until a new try.
    pub until: Option<String>,
    pub minutes: Option<i64>,
    /// With `offset_mismatch`, `chunk_past_end`, `photo_mismatch` and `not_a_jpeg`: the
    /// upload's state (also `photo_id`, `signal_id`, `size`, `complete`); resume here.
    pub received: Option<u64>,
}

/// Names the two ways in: the session cookie and a phone's device credential.
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::server::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "device",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`Device <device-id>.<secret>`, as returned by POST /devices",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Wijkpost API", version = "1",
        description = "Phones and scripts talk to Wijkpost here. Authenticate with the session cookie \
            (log in at POST /api/login; state-changing requests then need an Origin header of this site) \
            or with `Authorization: Device <device-id>.<secret>`."),
    servers((url = "/api/v1")),
    modifiers(&Credentials),
    security(("session" = []), ("device" = [])),
    paths(
        accounts::me, accounts::list_users, accounts::create_user, accounts::update_user,
        accounts::password_link, accounts::set_password, accounts::list_teams, accounts::create_team,
        accounts::list_organisations, accounts::create_organisation,
        records::list_contacts, records::create_contact, records::contact,
        records::list_signals, records::create_signal, records::signal, records::change_signal,
        devices::list_devices, devices::register_device, devices::revoke_device, devices::access_log,
        sync::push,
        pull::pull, conflicts::list, conflicts::resolve,
        photos::declare, photos::upload_chunk, photos::state, photos::signal_photo,
    ),
    tags(
        (name = "records", description = "Street contacts and neighbourhood signals"),
        (name = "accounts", description = "The caller, accounts and passwords"),
        (name = "organisation", description = "Teams and partner organisations"),
        (name = "devices", description = "Phones for offline use, and the access log"),
        (name = "sync", description = "Offline sync: a phone's queued entries, applied exactly once"),
    )
)]
struct ApiDoc;

/// `GET /api/v1/openapi.json`: public, like the rest of the API's description.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
