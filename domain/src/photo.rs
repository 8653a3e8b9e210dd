//! A signal's photo: uploaded apart from the signal, in chunks, after the signal's
//! create has been pushed, so a record never waits on its photo and a photo never
//! arrives without its record. These are the rules both ends share: what a phone may
//! declare, how big a chunk may be, and where a chunk fits in what has arrived.
//!
//! The HTTP exchange (see `server/src/api/photos.rs`): `PUT` declares the upload with
//! a [`PhotoDeclaration`], `PATCH` sends chunks at an `Upload-Offset`, `GET` reports
//! the [`PhotoState`]; every answer is the state, so a phone cut off mid-upload asks
//! once and resumes from `received`.

use serde::{Deserialize, Serialize};

use crate::ids::{PhotoId, RecordId};
use crate::validation::{Problem, ValidationErrors};

/// The phone downscales to at most 1600 px and re-encodes as JPEG, which gives well
/// under 1 MiB for a street scene; 5 MiB leaves room for a detailed one and still
/// refuses a full-resolution original (8–15 MiB) that skipped the downscaling and would
/// carry more of the street, and more people, than the signal needs.
pub const MAX_PHOTO_BYTES: u64 = 5 * 1024 * 1024;

/// The longest side a phone sends: enough to see a broken lamp or a tag, small enough
/// to upload over a weak signal (typically 200–500 KiB as JPEG).
pub const MAX_SIDE_PX: u32 = 1600;

/// The size a photo of `width` × `height` is scaled to before upload: within
/// [`MAX_SIDE_PX`], proportions kept, never enlarged, never zero.
pub fn fitted(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height).max(1);
    if longest <= MAX_SIDE_PX {
        return (width.max(1), height.max(1));
    }
    let scale = f64::from(MAX_SIDE_PX) / f64::from(longest);
    let side = |n: u32| (f64::from(n) * scale).round().max(1.0) as u32;
    (side(width), side(height))
}

/// Half a MiB goes through a weak 3G link in seconds, so a cut costs little to resend;
/// the server's body limit for a chunk is exactly this.
pub const MAX_CHUNK_BYTES: usize = 512 * 1024;

/// An upload not finished after a week is abandoned (the phone was reset or lost): its
/// chunks are deleted. The signal keeps its photo id; a phone that comes back later
/// declares the upload again and starts from 0.
pub const STALE_UPLOAD_DAYS: i64 = 7;

/// What the server accepts: the phone's canvas re-encodes every photo as JPEG, and the
/// server checks the bytes really are one before storing them.
pub const ACCEPTED_CONTENT_TYPES: [&str; 1] = ["image/jpeg"];

/// A signal's photo as the signal shows it: which photo, and whether it has fully
/// arrived (a view says "photo still uploading" until it has).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub id: PhotoId,
    pub complete: bool,
}

/// `PUT /api/v1/sync/photos/{photo_id}`: the photo the phone is about to upload.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoDeclaration {
    /// The signal whose create (with this `photo_id`) the phone has already pushed.
    pub signal_id: RecordId,
    /// `image/jpeg`.
    pub content_type: String,
    /// The whole photo's length in bytes.
    pub size: u64,
    /// SHA-256 of the whole photo, 64 hex digits.
    pub sha256: String,
}

/// A declaration that passed [`PhotoDeclaration::check`]: content type and hash in
/// their one stored form (lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedDeclaration {
    pub signal_id: RecordId,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
}

/// Why a declaration was refused; each answers with its own status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeclarationError {
    #[error("a photo of {size} bytes is over the limit of {max} bytes")]
    TooLarge { size: u64, max: u64 },
    #[error("photos are accepted as image/jpeg, not {0:?}")]
    UnsupportedType(String),
    #[error("{0}")]
    Invalid(ValidationErrors),
}

impl PhotoDeclaration {
    pub fn check(&self) -> Result<CheckedDeclaration, DeclarationError> {
        let content_type = self.content_type.trim().to_ascii_lowercase();
        if !ACCEPTED_CONTENT_TYPES.contains(&content_type.as_str()) {
            return Err(DeclarationError::UnsupportedType(self.content_type.clone()));
        }
        if self.size > MAX_PHOTO_BYTES {
            return Err(DeclarationError::TooLarge { size: self.size, max: MAX_PHOTO_BYTES });
        }
        let mut errors = ValidationErrors::default();
        if self.size == 0 {
            errors.push("size", Problem::OutOfRange);
        }
        let sha256 = self.sha256.trim().to_ascii_lowercase();
        if !is_sha256_hex(&sha256) {
            errors.push("sha256", if sha256.is_empty() { Problem::Required } else { Problem::Malformed });
        }
        errors
            .into_result(|| CheckedDeclaration { signal_id: self.signal_id, content_type, size: self.size, sha256 })
            .map_err(DeclarationError::Invalid)
    }
}

/// 64 lower-case hex digits: the form a SHA-256 is declared and stored in.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Every answer of the upload endpoints: where the upload stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoState {
    pub photo_id: PhotoId,
    pub signal_id: RecordId,
    /// Bytes stored so far: the `Upload-Offset` of the next chunk.
    pub received: u64,
    pub size: u64,
    /// Arrived whole, verified and stored: nothing more to send.
    pub complete: bool,
}

/// Where a chunk sent at `offset` fits in an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkFit {
    /// The next bytes: store them.
    Append,
    /// An empty chunk at the end: nothing to store (a phone asking the server to
    /// finish an upload whose last chunk arrived just before a restart).
    Empty,
    /// The upload is already complete; a resent chunk changes nothing.
    Complete,
    /// Not where the upload stands (a resent chunk, or one after a lost chunk): the
    /// phone resumes from `received`.
    OffsetMismatch,
    /// Would run past the declared size.
    PastEnd,
}

/// Decides a chunk of `len` bytes at `offset`, given what has arrived.
pub fn fit_chunk(received: u64, size: u64, complete: bool, offset: u64, len: u64) -> ChunkFit {
    if complete {
        ChunkFit::Complete
    } else if offset != received {
        ChunkFit::OffsetMismatch
    } else if offset.saturating_add(len) > size {
        ChunkFit::PastEnd
    } else if len == 0 {
        ChunkFit::Empty
    } else {
        ChunkFit::Append
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn declaration(size: u64, content_type: &str, sha256: &str) -> PhotoDeclaration {
        PhotoDeclaration {
            signal_id: RecordId::from_uuid(Uuid::nil()),
            content_type: content_type.into(),
            size,
            sha256: sha256.into(),
        }
    }

    const HASH: &str = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

    #[test]
    fn a_jpeg_within_the_limit_is_accepted_in_lower_case() {
        let checked = declaration(MAX_PHOTO_BYTES, " Image/JPEG ", HASH).check().expect("valid");
        assert_eq!(checked.content_type, "image/jpeg");
        assert_eq!(checked.sha256, HASH.to_ascii_lowercase());
    }

    #[test]
    fn size_type_and_hash_are_refused_each_in_their_own_way() {
        assert!(matches!(
            declaration(MAX_PHOTO_BYTES + 1, "image/jpeg", HASH).check(),
            Err(DeclarationError::TooLarge { .. })
        ));
        assert!(matches!(
            declaration(10, "image/png", HASH).check(),
            Err(DeclarationError::UnsupportedType(t)) if t == "image/png"
        ));
        let Err(DeclarationError::Invalid(errors)) = declaration(0, "image/jpeg", "abc").check() else { panic!() };
        assert_eq!(errors.for_field("size"), Some(&Problem::OutOfRange));
        assert_eq!(errors.for_field("sha256"), Some(&Problem::Malformed));
        let Err(DeclarationError::Invalid(errors)) = declaration(1, "image/jpeg", "").check() else { panic!() };
        assert_eq!(errors.for_field("sha256"), Some(&Problem::Required));
        assert!(!is_sha256_hex(&"g".repeat(64)));
    }

    #[test]
    fn chunks_fit_only_where_the_upload_stands() {
        assert_eq!(fit_chunk(0, 10, false, 0, 4), ChunkFit::Append);
        assert_eq!(fit_chunk(4, 10, false, 4, 6), ChunkFit::Append);
        assert_eq!(fit_chunk(4, 10, false, 0, 4), ChunkFit::OffsetMismatch, "a resent chunk");
        assert_eq!(fit_chunk(4, 10, false, 8, 2), ChunkFit::OffsetMismatch, "a chunk after a lost one");
        assert_eq!(fit_chunk(4, 10, false, 4, 7), ChunkFit::PastEnd);
        assert_eq!(fit_chunk(10, 10, false, 10, 0), ChunkFit::Empty);
        assert_eq!(fit_chunk(10, 10, true, 6, 4), ChunkFit::Complete, "the last chunk resent after completion");
        assert_eq!(fit_chunk(u64::MAX, 10, false, u64::MAX, 2), ChunkFit::PastEnd, "no overflow");
    }

    #[test]
    fn states_and_refs_read_as_the_phone_expects() {
        let state = PhotoState {
            photo_id: PhotoId::from_uuid(Uuid::nil()),
            signal_id: RecordId::from_uuid(Uuid::nil()),
            received: 3,
            size: 9,
            complete: false,
        };
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json["received"], 3);
        assert_eq!(json["complete"], false);
        let photo = serde_json::to_value(PhotoRef { id: PhotoId::from_uuid(Uuid::nil()), complete: true }).unwrap();
        assert_eq!(photo, serde_json::json!({ "id": Uuid::nil(), "complete": true }));
    }

    #[test]
    fn photos_are_fitted_within_1600_px_keeping_proportions() {
        assert_eq!(fitted(4032, 3024), (1600, 1200));
        assert_eq!(fitted(3024, 4032), (1200, 1600));
        assert_eq!(fitted(2400, 1800), (1600, 1200));
        assert_eq!(fitted(1200, 900), (1200, 900), "never enlarged");
        assert_eq!(fitted(8000, 10), (1600, 2), "a sliver stays visible");
        assert_eq!(fitted(0, 0), (1, 1));
    }
}
