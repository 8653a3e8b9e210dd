//! Offline sync, phone to server: `POST /sync/push`. The handler only authenticates
//! (the [`Caller`]; a revoked phone is refused there with `device_revoked`) and maps
//! a whole-batch refusal to its status; `service::sync` decides everything else.

use app::error::AppError;
use app::i18n::Locale;
use app::ssr::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::sync::{BatchError, PushBatch, Receipt, MAX_BATCH_MUTATIONS};
use serde::Serialize;
use service::sync::PushError;
use utoipa::ToSchema;

use super::caller::Caller;
use super::error::{ApiError, Body};
use super::openapi::ErrorBody;
use crate::edge::Refusal;

/// One receipt per mutation, in the batch's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushAnswer {
    pub receipts: Vec<Receipt>,
}

#[utoipa::path(post, path = "/sync/push", tag = "sync", request_body = PushBatch,
    security(("device" = [])),
    description = "Applies a phone's queued mutations exactly once, in one transaction, and answers one receipt \
        per mutation (`applied`, `rejected`, `conflict` or `deferred`). A replay of any batch, whole or in part, \
        changes nothing and gets the same receipts. An invalid mutation, or one its author may not make, is \
        `rejected` on its own (a refusal is the field `authorization`); the others still apply. So is a \
        `seq` or `base_version` above 2^63 - 1 (`out_of_range`), a second mutation of the same id in one batch \
        with other contents, and a create whose chosen id or `photo_id` is already in use (`already_used`, \
        the same answer whoever holds it). Needs the \
        phone's device credential: a session alone is refused with 403 `device_required`. A batch refused as \
        a whole stores nothing: 400 (unsupported `protocol`, another device's id or mutations), 413 \
        `batch_too_large` (more than 500 mutations), 401 `device_revoked`.",
    responses((status = 200, body = PushAnswer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn push(
    State(app): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Body(batch): Body<PushBatch>,
) -> Result<Json<PushAnswer>, Response> {
    match app.services.push(caller.device_id, &caller.actor, batch).await {
        Ok(receipts) => Ok(Json(PushAnswer { receipts })),
        Err(err) => Err(refusal(err, app::ssr::locale_of(&headers))),
    }
}

/// A whole-batch refusal. The two codes `AppError` has no variant for are answered
/// here, worded in the requester's language.
fn refusal(err: PushError, locale: Locale) -> Response {
    let words = locale.refusals();
    match err {
        PushError::NeedsDevice => Refusal::new(StatusCode::FORBIDDEN, "device_required", words.device_required),
        PushError::Batch(BatchError::TooLarge { count }) => Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            (words.batch_too_large)(MAX_BATCH_MUTATIONS, count),
        ),
        PushError::Batch(other) => return ApiError(AppError::BadRequest { detail: other.to_string() }).into_response(),
        PushError::Service(err) => return ApiError::from(err).into_response(),
    }
    .into_response()
}
