//! Street contacts and neighbourhood signals. Every read goes through the service layer,
//! which removes what the caller may not see and logs every personal field it shows.

use app::ssr::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::{ContactDraft, NeighbourhoodSignal, RecordId, SignalDraft, StreetContact};
use serde::Deserialize;
use service::records::{ListedSignal, SignalChange};
use utoipa::{IntoParams, ToSchema};

use super::caller::Caller;
use super::error::{ApiResult, Body, Filter, Params};
use super::openapi::ErrorBody;

/// Lists are short by default: a phone on a slow connection asks for more when needed.
const DEFAULT_LIMIT: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// At most this many, newest first (default 100, at most 500).
    pub limit: Option<i64>,
}

impl ListQuery {
    fn limit(&self) -> i64 {
        self.limit.unwrap_or(DEFAULT_LIMIT)
    }
}

/// A new record as a phone sends it: the draft, plus the id the phone gave it while
/// offline, so a retried upload is recognised (409) instead of stored twice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct New<T> {
    /// The id the phone gave it (a UUID); one is made when absent.
    pub id: Option<RecordId>,
    #[serde(flatten)]
    pub draft: T,
}

impl<T> New<T> {
    fn id(&self) -> RecordId {
        self.id.unwrap_or_else(RecordId::new_v7)
    }
}

#[utoipa::path(get, path = "/contacts", tag = "records", params(ListQuery),
    description = "The caller's team's recent street contacts; notes only for those who may read them (each shown note is logged).",
    responses((status = 200, body = [StreetContact]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_contacts(
    State(app): State<AppState>,
    caller: Caller,
    Filter(query): Filter<ListQuery>,
) -> ApiResult<Json<Vec<StreetContact>>> {
    Ok(Json(app.services.team_contacts(&caller.actor, "api_contacts", query.limit()).await?))
}

#[utoipa::path(post, path = "/contacts", tag = "records", request_body = New<ContactDraft>,
    responses((status = 201, body = StreetContact), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_contact(
    State(app): State<AppState>,
    caller: Caller,
    Body(new): Body<New<ContactDraft>>,
) -> ApiResult<(StatusCode, Json<StreetContact>)> {
    let contact = app.services.create_contact(&caller.actor, &new.draft, new.id()).await?;
    Ok((StatusCode::CREATED, Json(contact)))
}

#[utoipa::path(get, path = "/contacts/{id}", tag = "records", params(("id" = Uuid, Path)),
    responses((status = 200, body = StreetContact), (status = 404, body = ErrorBody)))]
pub async fn contact(
    State(app): State<AppState>,
    caller: Caller,
    Params(id): Params<RecordId>,
) -> ApiResult<Json<StreetContact>> {
    Ok(Json(app.services.contact(&caller.actor, id, "api_contact").await?))
}

#[utoipa::path(get, path = "/signals", tag = "records", params(ListQuery),
    description = "Signals of the caller's team, or filed by or referred to the caller's organisation; `description` is empty unless the caller may read it. Each with `linked_reports`: how many later signals the caller may see were filed as the same one (`duplicate_of` its id).",
    responses((status = 200, body = [ListedSignal]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_signals(
    State(app): State<AppState>,
    caller: Caller,
    Filter(query): Filter<ListQuery>,
) -> ApiResult<Json<Vec<ListedSignal>>> {
    Ok(Json(app.services.visible_signals_with_reports(&caller.actor, "api_signals", query.limit()).await?))
}

#[utoipa::path(post, path = "/signals", tag = "records", request_body = New<SignalDraft>,
    description = "Files a signal. With `duplicate_of` (the id of an earlier signal of the same team the caller may see, as a phone offers nearby ones) it is filed as another report of that one, keeping its own time, place and text; any other id is refused (422, `unknown_code` on `duplicate_of`).",
    responses((status = 201, body = NeighbourhoodSignal), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_signal(
    State(app): State<AppState>,
    caller: Caller,
    Body(new): Body<New<SignalDraft>>,
) -> ApiResult<(StatusCode, Json<NeighbourhoodSignal>)> {
    let signal = app.services.create_signal(&caller.actor, &new.draft, new.id()).await?;
    Ok((StatusCode::CREATED, Json(signal)))
}

#[utoipa::path(get, path = "/signals/{id}", tag = "records", params(("id" = Uuid, Path)),
    responses((status = 200, body = NeighbourhoodSignal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn signal(
    State(app): State<AppState>,
    caller: Caller,
    Params(id): Params<RecordId>,
) -> ApiResult<Json<NeighbourhoodSignal>> {
    Ok(Json(app.services.signal(&caller.actor, id, "api_signal").await?))
}

/// Changes a signal: an absent field stays, `null` for the referral withdraws it.
#[utoipa::path(patch, path = "/signals/{id}", tag = "records", params(("id" = Uuid, Path)), request_body = SignalChange,
    description = "Changes status, referral or feedback. Answers the signal as the caller may now see it, or 204 when the change (a referral elsewhere) took it out of the caller's sight.",
    responses((status = 200, body = NeighbourhoodSignal), (status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn change_signal(
    State(app): State<AppState>,
    caller: Caller,
    Params(id): Params<RecordId>,
    Body(change): Body<SignalChange>,
) -> ApiResult<Response> {
    match app.services.change_signal(&caller.actor, id, &change, "api_signal").await? {
        Some(signal) => Ok(Json(signal).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}
