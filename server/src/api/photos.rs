//! A signal's photo: uploaded by its author after the signal's create was pushed, in
//! chunks a weak connection can resume (`/sync/photos/{photo_id}`), and shown to those
//! who may read the signal's text (`/signals/{signal_id}/photo`). Handlers only read
//! the request; `service::photos` decides, and `photo_refusals` words its refusals.

use app::error::AppError;
use app::ssr::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::photo::{PhotoDeclaration, PhotoState};
use domain::{PhotoId, RecordId};
use service::photos::PhotoError;

use super::caller::Caller;
use super::error::{ApiError, ApiResult, Body, Params};
use super::openapi::ErrorBody;
use super::photo_refusals::refusal;

/// Where a chunk starts in the photo, as tus (resumable uploads) names it.
pub const UPLOAD_OFFSET: &str = "upload-offset";

#[utoipa::path(put, path = "/sync/photos/{photo_id}", tag = "sync", params(("photo_id" = Uuid, Path)),
    request_body = PhotoDeclaration, security(("device" = []), ("session" = [])),
    description = "Declares the upload of the photo a signal was filed with (`photo_id` in its create), after \
        the signal itself has been pushed; only the signal's author may, from any of their phones. A photo \
        belongs to the first signal that names its id: another signal naming it later gets 409 \
        `record_not_synced` and cannot block the owner's upload. Idempotent: repeating it answers where \
        the upload stands, so a phone sends chunks from `received` on. 409 `record_not_synced` while the server \
        does not hold this person's signal with this `photo_id` (push the signal, then try again); 413 \
        `photo_too_large` over 5 MiB; 415 `unsupported_photo_type` for anything but `image/jpeg`; 422 `invalid` \
        for a malformed `sha256` or a `size` of 0. Declaring other bytes for an unfinished upload restarts it.",
    responses((status = 200, body = PhotoState), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn declare(
    State(app): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Params(photo_id): Params<PhotoId>,
    Body(declaration): Body<PhotoDeclaration>,
) -> Result<Json<PhotoState>, Response> {
    let declared = app.services.declare_photo(&caller.actor, photo_id, &declaration).await;
    declared.map(Json).map_err(|err| refusal(err, &headers))
}

#[utoipa::path(patch, path = "/sync/photos/{photo_id}", tag = "sync",
    params(("photo_id" = Uuid, Path), ("Upload-Offset" = u64, Header, description = "The chunk's first byte in the photo: the `received` of the last answer")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "At most 512 KiB of the photo"),
    security(("device" = []), ("session" = [])),
    description = "Stores the chunk if it starts at the upload's `received`, in one transaction; the last one \
        completes the photo: its size and SHA-256 are checked, it must be a JPEG, its metadata is stripped. A \
        chunk resent after completion answers the complete state. 409 `offset_mismatch` (nothing stored; the \
        body's `received` says where to resume), 413 over 512 KiB, 422 `chunk_past_end`, 422 `photo_mismatch` \
        or `not_a_jpeg` when the whole upload fails its checks (it restarts from 0: `received` is 0), 404 for \
        an upload that is not the caller's. An empty chunk at the end finishes an upload whose last chunk \
        arrived just before the server restarted.",
    responses((status = 200, body = PhotoState), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_chunk(
    State(app): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Params(photo_id): Params<PhotoId>,
    chunk: Result<Bytes, BytesRejection>,
) -> Result<Json<PhotoState>, Response> {
    let offset = upload_offset(&headers).ok_or_else(|| {
        let detail = format!("the {UPLOAD_OFFSET} header must give the chunk's first byte, as a whole number");
        ApiError(AppError::BadRequest { detail }).into_response()
    })?;
    let chunk = chunk.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => refusal(PhotoError::ChunkTooLarge, &headers),
        _ => ApiError(AppError::BadRequest { detail: rejection.body_text() }).into_response(),
    })?;
    let stored = app.services.upload_photo_chunk(&caller.actor, photo_id, offset, &chunk).await;
    stored.map(Json).map_err(|err| refusal(err, &headers))
}

#[utoipa::path(get, path = "/sync/photos/{photo_id}", tag = "sync", params(("photo_id" = Uuid, Path)),
    security(("device" = []), ("session" = [])),
    description = "Where an upload stands, for a phone resuming after a restart; 404 for an upload that does \
        not exist or is not the caller's (declare it with PUT).",
    responses((status = 200, body = PhotoState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn state(
    State(app): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Params(photo_id): Params<PhotoId>,
) -> Result<Json<PhotoState>, Response> {
    app.services.photo_upload_state(&caller.actor, photo_id).await.map(Json).map_err(|err| refusal(err, &headers))
}

#[utoipa::path(get, path = "/signals/{id}/photo", tag = "records", params(("id" = Uuid, Path)),
    description = "The signal's photo (metadata stripped), for those who may read the signal's description; each \
        showing is written to the access log (field `photo`). 404 while there is none or it has not fully arrived.",
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn signal_photo(
    State(app): State<AppState>,
    caller: Caller,
    Params(id): Params<RecordId>,
) -> ApiResult<Response> {
    let photo = app.services.signal_photo(&caller.actor, id, "api_signal_photo").await?;
    // Personal data: kept out of shared caches and not stored by the browser either.
    let headers = [(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "private, no-store")];
    Ok((headers, photo).into_response())
}

/// The `Upload-Offset` header as a byte count.
fn upload_offset(headers: &HeaderMap) -> Option<u64> {
    headers.get(UPLOAD_OFFSET)?.to_str().ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_offset_is_a_plain_byte_count() {
        let mut headers = HeaderMap::new();
        assert_eq!(upload_offset(&headers), None);
        headers.insert(UPLOAD_OFFSET, HeaderValue::from_static(" 524288 "));
        assert_eq!(upload_offset(&headers), Some(524_288));
        headers.insert(UPLOAD_OFFSET, HeaderValue::from_static("-1"));
        assert_eq!(upload_offset(&headers), None);
    }
}
