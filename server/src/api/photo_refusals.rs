//! The answers of a refused photo upload step, worded in the requester's language
//! (the sentences are in `app::i18n::RefusalMessages`). The codes that `AppError` has
//! no variant for are answered here, like `sync.rs` does for a push; a refusal that
//! says where the upload stands also carries its state (`photo_id`, `signal_id`,
//! `received`, `size`, `complete`), so the phone resumes from `received` without
//! asking again.

use app::error::AppError;
use app::ssr::locale_of;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::photo::{DeclarationError, MAX_CHUNK_BYTES, MAX_PHOTO_BYTES};
use service::photos::PhotoError;

use super::error::ApiError;
use crate::edge::Refusal;

/// The response for a refused step.
pub fn refusal(err: PhotoError, headers: &HeaderMap) -> Response {
    let words = locale_of(headers).refusals();
    let refusal = match err {
        // The shapes every endpoint shares: `invalid` (422), `not_found`, `unavailable`, …
        PhotoError::Declaration(DeclarationError::Invalid(errors)) => {
            return ApiError(AppError::Invalid(errors)).into_response();
        }
        PhotoError::Service(err) => return ApiError::from(err).into_response(),
        PhotoError::RecordNotSynced => Refusal::new(StatusCode::CONFLICT, "record_not_synced", words.record_not_synced),
        PhotoError::Declaration(DeclarationError::TooLarge { .. }) => Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "photo_too_large",
            (words.photo_too_large)(MAX_PHOTO_BYTES / (1024 * 1024)),
        ),
        PhotoError::Declaration(DeclarationError::UnsupportedType(_)) => {
            Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_photo_type", words.unsupported_photo_type)
        }
        PhotoError::ChunkTooLarge => Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "chunk_too_large",
            (words.chunk_too_large)(MAX_CHUNK_BYTES / 1024),
        ),
        PhotoError::OffsetMismatch(state) => {
            Refusal::new(StatusCode::CONFLICT, "offset_mismatch", (words.offset_mismatch)(state.received)).with(&state)
        }
        PhotoError::PastEnd(state) => {
            Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "chunk_past_end", (words.chunk_past_end)(state.size))
                .with(&state)
        }
        PhotoError::Mismatch(state) => {
            Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "photo_mismatch", words.photo_mismatch).with(&state)
        }
        PhotoError::NotJpeg(state) => {
            Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "not_a_jpeg", words.not_a_jpeg).with(&state)
        }
    };
    refusal.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::i18n::Locale;
    use axum::http::HeaderValue;
    use domain::photo::PhotoState;
    use domain::{PhotoId, RecordId};
    use serde_json::Value;
    use uuid::Uuid;

    fn state() -> PhotoState {
        PhotoState {
            photo_id: PhotoId::from_uuid(Uuid::nil()),
            signal_id: RecordId::from_uuid(Uuid::nil()),
            received: 1024,
            size: 4096,
            complete: false,
        }
    }

    /// The status and body of the refusal of `err` to a requester speaking `locale`.
    async fn answer(err: PhotoError, locale: Locale) -> (StatusCode, Value) {
        let mut headers = HeaderMap::new();
        headers.insert("accept-language", HeaderValue::from_static(locale.tag()));
        let response = refusal(err, &headers);
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
        (status, serde_json::from_slice(&bytes).unwrap_or_default())
    }

    /// What a phone acts on: each refusal's status and code (documented in the
    /// OpenAPI document and relied on by the phone's upload loop), the upload's state
    /// where it must resume, and a sentence in the asked language.
    #[tokio::test]
    async fn every_refusal_answers_its_status_and_code_and_where_to_resume() {
        type Case = (fn() -> PhotoError, StatusCode, &'static str, bool);
        let table: [Case; 8] = [
            (|| PhotoError::RecordNotSynced, StatusCode::CONFLICT, "record_not_synced", false),
            (
                || PhotoError::Declaration(DeclarationError::TooLarge { size: u64::MAX, max: MAX_PHOTO_BYTES }),
                StatusCode::PAYLOAD_TOO_LARGE,
                "photo_too_large",
                false,
            ),
            (
                || PhotoError::Declaration(DeclarationError::UnsupportedType("image/png".into())),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_photo_type",
                false,
            ),
            (|| PhotoError::ChunkTooLarge, StatusCode::PAYLOAD_TOO_LARGE, "chunk_too_large", false),
            (|| PhotoError::OffsetMismatch(state()), StatusCode::CONFLICT, "offset_mismatch", true),
            (|| PhotoError::PastEnd(state()), StatusCode::UNPROCESSABLE_ENTITY, "chunk_past_end", true),
            (|| PhotoError::Mismatch(state()), StatusCode::UNPROCESSABLE_ENTITY, "photo_mismatch", true),
            (|| PhotoError::NotJpeg(state()), StatusCode::UNPROCESSABLE_ENTITY, "not_a_jpeg", true),
        ];
        for (err, status, code, with_state) in table {
            let what = format!("{:?}", err());
            let in_dutch = answer(err(), Locale::Nl).await.1["message"].clone();
            for locale in Locale::ALL {
                let (answered, body) = answer(err(), locale).await;
                assert_eq!((answered, body["error"].as_str()), (status, Some(code)), "{what} {locale:?}: {body}");
                assert_eq!(body["status"], status.as_u16(), "{what}: {body}");
                assert_eq!(body["received"].as_u64(), with_state.then_some(1024), "{what}: {body}");
                let message = body["message"].as_str().unwrap_or_default();
                assert!(!message.is_empty(), "{what} {locale:?}");
                assert_eq!(locale == Locale::Nl, in_dutch == message, "{what} {locale:?}: {message}");
            }
        }
    }

    #[tokio::test]
    async fn an_offset_mismatch_says_where_to_resume_in_every_language() {
        for locale in Locale::ALL {
            let (_, body) = answer(PhotoError::OffsetMismatch(state()), locale).await;
            assert!(body["message"].as_str().unwrap_or_default().contains("1024"), "{locale:?}: {body}");
        }
    }
}
