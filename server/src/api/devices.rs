//! Phones registered for offline use: listed, registered and signed off. With the
//! access log (`access_log.rs`), what a team lead checks when a phone goes missing.

use app::error::AppError;
use app::ssr::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use domain::{DeviceId, TeamId, UserId};
use serde::{Deserialize, Serialize};
use service::devices::DeviceScope;
use store::Device;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::caller::Caller;
use super::error::{ApiError, ApiResult, Body, Filter, Params};
use super::openapi::{at_most_one_of, uuid, ErrorBody};

/// A device as listed: everything but the hash of its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceView {
    pub id: DeviceId,
    pub user_id: UserId,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<UserId>,
}

impl From<Device> for DeviceView {
    fn from(d: Device) -> Self {
        Self {
            id: d.id,
            user_id: d.user_id,
            label: d.label,
            created_at: d.created_at,
            last_seen_at: d.last_seen_at,
            revoked_at: d.revoked_at,
            revoked_by: d.revoked_by,
        }
    }
}

/// Whose devices: `user` or `team`, at most one; neither means the caller's own.
/// Unknown parameters are refused, as the schema says (see [`at_most_one_of`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceFilter {
    pub user: Option<UserId>,
    pub team: Option<TeamId>,
}

impl PartialSchema for DeviceFilter {
    fn schema() -> RefOr<Schema> {
        at_most_one_of(&[("user", uuid("This person's phones")), ("team", uuid("The team's phones"))], &[])
    }
}

impl ToSchema for DeviceFilter {}

pub(super) fn one_of_two(what: &str, a: &str, b: &str) -> ApiError {
    ApiError(AppError::BadRequest { detail: format!("{what}: give `{a}` or `{b}`, not both") })
}

#[utoipa::path(get, path = "/devices", tag = "devices",
    params(("filter" = inline(DeviceFilter), Query, style = Form, explode,
        description = "`user` or `team`, at most one; neither: the caller's own phones")),
    responses((status = 200, body = [DeviceView]), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_devices(
    State(app): State<AppState>,
    caller: Caller,
    Filter(filter): Filter<DeviceFilter>,
) -> ApiResult<Json<Vec<DeviceView>>> {
    let scope = match (filter.user, filter.team) {
        (Some(_), Some(_)) => return Err(one_of_two("devices", "user", "team")),
        (Some(user), None) => DeviceScope::User(user),
        (None, Some(team)) => DeviceScope::Team(team),
        (None, None) => DeviceScope::User(caller.user.id),
    };
    let devices = app.services.devices(&caller.actor, scope).await?;
    Ok(Json(devices.into_iter().map(DeviceView::from).collect()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewDevice {
    /// What the owner calls the phone ("Pixel 7"); "Toestel" when left out.
    #[serde(default)]
    pub label: String,
    /// The id the phone made for itself before its first entry. A phone the caller
    /// registered before (even one since revoked) gets a fresh secret for the same id,
    /// so its unsent entries keep their numbers. 403 if the id is someone else's.
    #[serde(default)]
    pub device_id: Option<DeviceId>,
}

/// The phone's credential: shown this once, stored only as a hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredDevice {
    pub device_id: DeviceId,
    /// Send as `Authorization: Device <credential>`.
    pub credential: String,
}

#[utoipa::path(post, path = "/devices", tag = "devices", request_body = NewDevice,
    description = "Registers a phone for the caller, who must be logged in with a password session: a device \
        key cannot register phones (403). A revoked phone's id comes back only in a session started after the \
        revocation (401 `device_revoked` otherwise). The answer holds the only copy of its secret.",
    responses((status = 201, body = RegisteredDevice), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn register_device(
    State(app): State<AppState>,
    caller: Caller,
    Body(form): Body<NewDevice>,
) -> ApiResult<(StatusCode, Json<RegisteredDevice>)> {
    // A phone is registered by a person who typed their password, never by a key.
    let token = caller.session_token.as_deref().ok_or(ApiError(AppError::Forbidden))?;
    let credential = app.services.register_device(token, &form.label, form.device_id).await?;
    let registered = RegisteredDevice { device_id: credential.device_id, credential: credential.to_header_value() };
    Ok((StatusCode::CREATED, Json(registered)))
}

#[utoipa::path(post, path = "/devices/{id}/revoke", tag = "devices", params(("id" = Uuid, Path)),
    description = "Signs a phone off: its next request is refused with `device_revoked`.",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_device(
    State(app): State<AppState>,
    caller: Caller,
    Params(id): Params<DeviceId>,
) -> ApiResult<StatusCode> {
    app.services.revoke_device(&caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
