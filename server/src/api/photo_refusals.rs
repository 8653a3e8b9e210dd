//! The answers of a refused photo upload step, in the API's error shape
//! (`{"error", "message", "status", …}`), worded in the requester's language. The
//! codes that `AppError` has no variant for are answered here, like `sync.rs` does for
//! a push; a refusal that says where the upload stands also carries its state
//! (`photo_id`, `signal_id`, `received`, `size`, `complete`), so the phone resumes
//! from `received` without asking again.

use app::error::AppError;
use app::i18n::Locale;
use app::server::locale_of;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::photo::{DeclarationError, PhotoState, MAX_CHUNK_BYTES, MAX_PHOTO_BYTES};
use service::photos::PhotoError;

use super::error::ApiError;

/// The response for a refused step.
pub fn refusal(err: PhotoError, headers: &HeaderMap) -> Response {
    let err = match err {
        // The shapes every endpoint shares: `invalid` (422), `not_found`, `unavailable`, …
        PhotoError::Declaration(DeclarationError::Invalid(errors)) => {
            return ApiError(AppError::Invalid(errors)).into_response();
        }
        PhotoError::Service(err) => return ApiError::from(err).into_response(),
        other => other,
    };
    let (status, code, state) = match &err {
        PhotoError::RecordNotSynced => (StatusCode::CONFLICT, "record_not_synced", None),
        PhotoError::Declaration(DeclarationError::TooLarge { .. }) => {
            (StatusCode::PAYLOAD_TOO_LARGE, "photo_too_large", None)
        }
        PhotoError::Declaration(DeclarationError::UnsupportedType(_)) => {
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_photo_type", None)
        }
        PhotoError::ChunkTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "chunk_too_large", None),
        PhotoError::OffsetMismatch(state) => (StatusCode::CONFLICT, "offset_mismatch", Some(state)),
        PhotoError::PastEnd(state) => (StatusCode::UNPROCESSABLE_ENTITY, "chunk_past_end", Some(state)),
        PhotoError::Mismatch(state) => (StatusCode::UNPROCESSABLE_ENTITY, "photo_mismatch", Some(state)),
        PhotoError::NotJpeg(state) => (StatusCode::UNPROCESSABLE_ENTITY, "not_a_jpeg", Some(state)),
        // Answered above.
        PhotoError::Declaration(DeclarationError::Invalid(_)) | PhotoError::Service(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
        }
    };
    error_body(status, code, message(&err, locale_of(headers)), state)
}

fn error_body(status: StatusCode, code: &str, message: String, state: Option<&PhotoState>) -> Response {
    let mut body = serde_json::json!({ "error": code, "message": message, "status": status.as_u16() });
    if let (Some(object), Some(state)) = (body.as_object_mut(), state.and_then(|s| serde_json::to_value(s).ok())) {
        object.extend(state.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())));
    }
    (status, Json(body)).into_response()
}

fn message(err: &PhotoError, locale: Locale) -> String {
    let photo_mib = MAX_PHOTO_BYTES / (1024 * 1024);
    let chunk_kib = MAX_CHUNK_BYTES / 1024;
    match (err, locale) {
        (PhotoError::RecordNotSynced, Locale::Nl) => "De melding bij deze foto staat nog niet op de server. Verstuur eerst de melding; de foto volgt daarna vanzelf.".into(),
        (PhotoError::RecordNotSynced, Locale::En) => "The signal this photo belongs to is not on the server yet. Send the signal first; the photo follows by itself.".into(),
        (PhotoError::RecordNotSynced, Locale::Fr) => "Le signalement de cette photo n'est pas encore sur le serveur. Envoyez d'abord le signalement ; la photo suivra d'elle-même.".into(),
        (PhotoError::Declaration(DeclarationError::TooLarge { .. }), Locale::Nl) => format!("Deze foto is te groot: hoogstens {photo_mib} MiB. Verklein hem en probeer opnieuw."),
        (PhotoError::Declaration(DeclarationError::TooLarge { .. }), Locale::En) => format!("This photo is too large: at most {photo_mib} MiB. Make it smaller and try again."),
        (PhotoError::Declaration(DeclarationError::TooLarge { .. }), Locale::Fr) => format!("Cette photo est trop grande : {photo_mib} Mio au plus. Réduisez-la et réessayez."),
        (PhotoError::Declaration(DeclarationError::UnsupportedType(_)), Locale::Nl) => "Foto's worden als JPEG (image/jpeg) aanvaard, niet in dit formaat.".into(),
        (PhotoError::Declaration(DeclarationError::UnsupportedType(_)), Locale::En) => "Photos are accepted as JPEG (image/jpeg), not in this format.".into(),
        (PhotoError::Declaration(DeclarationError::UnsupportedType(_)), Locale::Fr) => "Les photos sont acceptées en JPEG (image/jpeg), pas dans ce format.".into(),
        (PhotoError::ChunkTooLarge, Locale::Nl) => format!("Stuur de foto in delen van hoogstens {chunk_kib} KiB."),
        (PhotoError::ChunkTooLarge, Locale::En) => format!("Send the photo in chunks of at most {chunk_kib} KiB."),
        (PhotoError::ChunkTooLarge, Locale::Fr) => format!("Envoyez la photo en morceaux de {chunk_kib} Kio au plus."),
        (PhotoError::OffsetMismatch(s), Locale::Nl) => format!("Dit deel past niet: de server heeft {} bytes. Ga verder vanaf byte {}.", s.received, s.received),
        (PhotoError::OffsetMismatch(s), Locale::En) => format!("This chunk does not fit: the server holds {} bytes. Resume from byte {}.", s.received, s.received),
        (PhotoError::OffsetMismatch(s), Locale::Fr) => format!("Ce morceau ne convient pas : le serveur a {} octets. Reprenez à l'octet {}.", s.received, s.received),
        (PhotoError::PastEnd(s), Locale::Nl) => format!("Dit deel loopt voorbij de aangekondigde grootte van {} bytes.", s.size),
        (PhotoError::PastEnd(s), Locale::En) => format!("This chunk runs past the declared size of {} bytes.", s.size),
        (PhotoError::PastEnd(s), Locale::Fr) => format!("Ce morceau dépasse la taille annoncée de {} octets.", s.size),
        (PhotoError::Mismatch(_), Locale::Nl) => "De ontvangen foto komt niet overeen met de aangekondigde grootte en controlesom. Hij wordt opnieuw verstuurd vanaf het begin.".into(),
        (PhotoError::Mismatch(_), Locale::En) => "The photo received does not match its declared size and checksum. It is sent again from the start.".into(),
        (PhotoError::Mismatch(_), Locale::Fr) => "La photo reçue ne correspond pas à la taille et à la somme de contrôle annoncées. Elle est renvoyée depuis le début.".into(),
        (PhotoError::NotJpeg(_), Locale::Nl) => "Het ontvangen bestand is geen JPEG-foto. Neem de foto opnieuw.".into(),
        (PhotoError::NotJpeg(_), Locale::En) => "The file received is not a JPEG photo. Take the photo again.".into(),
        (PhotoError::NotJpeg(_), Locale::Fr) => "Le fichier reçu n'est pas une photo JPEG. Reprenez la photo.".into(),
        (other, _) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn every_refusal_with_a_state_says_where_to_resume_in_every_language() {
        let state =
            PhotoState { photo_id: Uuid::nil(), signal_id: Uuid::nil(), received: 1024, size: 4096, complete: false };
        for locale in Locale::ALL {
            let text = message(&PhotoError::OffsetMismatch(state.clone()), locale);
            assert!(text.contains("1024"), "{locale:?}: {text}");
        }
        let response = error_body(StatusCode::CONFLICT, "offset_mismatch", "…".into(), Some(&state));
        assert_eq!(response.status(), StatusCode::CONFLICT);
    }
}
