//! Kept sync conflicts, for the team lead: `GET /sync/conflicts` and
//! `POST /sync/conflicts/{mutation_id}/resolve`. `service::review` checks that the
//! caller leads the signal's team.

use app::ssr::AppState;
use axum::extract::State;
use axum::Json;
use domain::sync::conflicts::{OpenConflict, Resolve, Resolved};
use uuid::Uuid;

use super::caller::Caller;
use super::error::{ApiResult, Body, Params};
use super::openapi::ErrorBody;

#[utoipa::path(get, path = "/sync/conflicts", tag = "sync",
    description = "The open conflicts of the team lead's team, oldest first: offline edits of a signal someone \
        else had changed since, kept instead of applied. Each shows the signal as it is now, the edit, the phone \
        and its owner. Team leads only: officers of the team get 403.",
    responses((status = 200, body = [OpenConflict]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<OpenConflict>>> {
    Ok(Json(app.services.open_conflicts(&caller.actor, "api_sync_conflicts").await?))
}

#[utoipa::path(post, path = "/sync/conflicts/{mutation_id}/resolve", tag = "sync",
    params(("mutation_id" = Uuid, Path, description = "The kept edit's mutation id")), request_body = Resolve,
    description = "`keep_current` leaves the signal as it is; `apply_edit` writes the phone's status and feedback \
        over it as a new version by the lead (phones see it at their next pull). 409 `conflict` when it was \
        already resolved; 404 for another team's conflict or an unknown id; 403 for an officer of the team.",
    responses((status = 200, body = Resolved), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resolve(
    State(app): State<AppState>,
    caller: Caller,
    Params(mutation_id): Params<Uuid>,
    Body(body): Body<Resolve>,
) -> ApiResult<Json<Resolved>> {
    Ok(Json(app.services.resolve_conflict(&caller.actor, mutation_id, body.choice).await?))
}
