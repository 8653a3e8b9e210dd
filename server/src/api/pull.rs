//! Offline sync, server to phone: `GET /sync/pull`. The handler authenticates (the
//! [`Caller`]) and maps a refused cursor or limit to 400; `service::pull` decides what
//! the caller may see and logs what it shows.

use app::error::AppError;
use app::ssr::AppState;
use axum::extract::State;
use axum::Json;
use domain::sync::PullPage;
use serde::Deserialize;
use service::pull::PullError;
use utoipa::IntoParams;

use super::caller::Caller;
use super::error::{ApiError, ApiResult, Filter};
use super::openapi::ErrorBody;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullParams {
    /// The `cursor` of the last page received, as it was received; absent or empty:
    /// from the beginning.
    #[param(pattern = r"^(c1\.[0-9]{1,18})?$")]
    pub cursor: Option<String>,
    /// At most this many changes (1 to 500, default 200).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/sync/pull", tag = "sync", params(PullParams),
    security(("device" = []), ("session" = [])),
    description = "The changes since `cursor` that the caller may see, oldest first, each record once at its \
        latest state (`record`) or as a tombstone (`deleted: true`): police get their team's signals and the \
        contacts they logged themselves, partners the signals filed by or referred to their organisation (text \
        only where they may read it). Every personal field shown is written to the access log. Store `cursor` \
        and pull again with it; while `more` is true, straight away. A cursor this server did not hand out, or \
        a limit outside 1..=500, is 400 `bad_request`.",
    responses((status = 200, body = PullPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn pull(
    State(app): State<AppState>,
    caller: Caller,
    Filter(params): Filter<PullParams>,
) -> ApiResult<Json<PullPage>> {
    match app.services.pull(&caller.actor, params.cursor.as_deref(), params.limit).await {
        Ok(page) => Ok(Json(page)),
        Err(PullError::Service(err)) => Err(err.into()),
        Err(bad) => Err(ApiError(AppError::BadRequest { detail: bad.to_string() })),
    }
}
