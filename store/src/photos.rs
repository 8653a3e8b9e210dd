//! Signal photos, uploaded in chunks (see `domain::photo`). Every chunk is stored in a
//! transaction of its own together with the upload's new `received`, so an upload cut
//! anywhere (the phone's network, a server killed mid-request) resumes from exactly
//! what was acknowledged. The finished photo replaces its chunks in one transaction,
//! which also marks the signal's photo as arrived.
//!
//! The steps are written once, here, on a backend's transaction ([`PhotoTx`]); each
//! backend supplies the reads and writes and how it holds an upload against a
//! concurrent chunk (SQLite: the write lock taken at BEGIN; PostgreSQL: FOR UPDATE).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::photo::{fit_chunk, ChunkFit, PhotoState};
use domain::{PhotoId, RecordId, UserId};
use sqlx::{ColumnIndex, Decode, Row, Type};

use crate::rows::Columns;
use crate::StoreError;

/// An upload as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoUpload {
    pub id: PhotoId,
    pub signal_id: RecordId,
    /// Who declared it: the signal's author; nobody else may send its chunks.
    pub uploader_id: UserId,
    pub content_type: String,
    pub size: u64,
    /// Of the photo as the phone sent it, lower-case hex.
    pub sha256: String,
    pub received: u64,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl PhotoUpload {
    pub fn is_complete(&self) -> bool {
        self.completed_at.is_some()
    }

    /// Every byte arrived but the photo is not stored yet: the server stopped between
    /// the last chunk and its completion, or the completion failed its checks.
    pub fn awaits_completion(&self) -> bool {
        !self.is_complete() && self.received == self.size
    }

    pub fn state(&self) -> PhotoState {
        PhotoState {
            photo_id: self.id,
            signal_id: self.signal_id,
            received: self.received,
            size: self.size,
            complete: self.is_complete(),
        }
    }
}

/// What became of a chunk: where it fitted, and the upload after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkAnswer {
    pub fit: ChunkFit,
    pub upload: PhotoUpload,
}

/// The reads and writes of the photo steps, on one open transaction of one backend.
#[async_trait]
pub(crate) trait PhotoTx: Send {
    /// The upload, held against concurrent writers until commit.
    async fn upload(&mut self, id: PhotoId) -> Result<Option<PhotoUpload>, StoreError>;
    /// The signal a photo belongs to: the first that names it.
    async fn first_signal_naming(&mut self, photo_id: PhotoId) -> Result<Option<RecordId>, StoreError>;
    /// Drops the upload stored under `photo_id` for `claimant`, a signal that named
    /// someone else's photo, with its chunks; the claimant's photo has not arrived.
    async fn drop_claim(&mut self, photo_id: PhotoId, claimant: RecordId) -> Result<(), StoreError>;
    /// Inserts unless the id exists.
    async fn insert_upload(&mut self, upload: &PhotoUpload) -> Result<(), StoreError>;
    async fn redeclare(&mut self, upload: &PhotoUpload, at: DateTime<Utc>) -> Result<(), StoreError>;
    async fn delete_chunks(&mut self, id: PhotoId) -> Result<(), StoreError>;
    async fn insert_chunk(&mut self, id: PhotoId, first_byte: u64, bytes: &[u8]) -> Result<(), StoreError>;
    async fn advance(&mut self, id: PhotoId, received: u64, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Stores the finished photo; the signal it belongs to, or `None` when the upload
    /// is not (or no longer) one whose every byte arrived.
    async fn complete(&mut self, id: PhotoId, bytes: &[u8], at: DateTime<Utc>) -> Result<Option<RecordId>, StoreError>;
    async fn mark_arrived(&mut self, signal_id: RecordId, at: DateTime<Utc>) -> Result<(), StoreError>;
    async fn restart(&mut self, id: PhotoId, at: DateTime<Utc>) -> Result<(), StoreError>;
}

/// Declares `upload` (with `received` 0) and returns what is stored: the new upload,
/// the one already declared under its id, or, when the same signal's unfinished
/// upload was declared with other bytes (the phone re-encoded the photo), that upload
/// restarted from 0 under the new declaration.
///
/// `None` when the photo is not `upload.signal_id`'s: a photo belongs to the first
/// signal that names it. An upload another signal holds under the id (a teammate who
/// saw the id in a listing and filed a signal naming it, before such creates were
/// refused) is a claim: it is dropped, so it cannot block the photo's owner.
pub(crate) async fn declare<T: PhotoTx>(tx: &mut T, upload: &PhotoUpload) -> Result<Option<PhotoUpload>, StoreError> {
    if tx.first_signal_naming(upload.id).await? != Some(upload.signal_id) {
        return Ok(None);
    }
    tx.insert_upload(upload).await?;
    let mut stored = tx.upload(upload.id).await?.ok_or_else(|| gone(upload.id))?;
    if stored.signal_id != upload.signal_id {
        tx.drop_claim(upload.id, stored.signal_id).await?;
        tx.insert_upload(upload).await?;
        stored = tx.upload(upload.id).await?.ok_or_else(|| gone(upload.id))?;
    }
    let same_bytes =
        stored.size == upload.size && stored.sha256 == upload.sha256 && stored.content_type == upload.content_type;
    if stored.is_complete() || same_bytes {
        return Ok(Some(stored));
    }
    tx.delete_chunks(upload.id).await?;
    tx.redeclare(upload, upload.updated_at).await?;
    tx.upload(upload.id).await?.ok_or_else(|| gone(upload.id)).map(Some)
}

/// Stores a chunk at `offset` if it is the upload's next one (see `fit_chunk`);
/// anything else changes nothing. `None` when the upload does not exist.
pub(crate) async fn append<T: PhotoTx>(
    tx: &mut T,
    id: PhotoId,
    offset: u64,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> Result<Option<ChunkAnswer>, StoreError> {
    let Some(mut upload) = tx.upload(id).await? else { return Ok(None) };
    let len = bytes.len() as u64;
    let fit = fit_chunk(upload.received, upload.size, upload.is_complete(), offset, len);
    if fit == ChunkFit::Append {
        tx.insert_chunk(id, offset, bytes).await?;
        upload.received = offset + len;
        upload.updated_at = at;
        tx.advance(id, upload.received, at).await?;
    }
    Ok(Some(ChunkAnswer { fit, upload }))
}

/// Stores the finished photo, drops its chunks and marks the signal's photo arrived,
/// all or nothing. `false` when the upload was not waiting for completion (already
/// complete, restarted meanwhile, or gone).
pub(crate) async fn complete<T: PhotoTx>(
    tx: &mut T,
    id: PhotoId,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let Some(signal_id) = tx.complete(id, bytes, at).await? else { return Ok(false) };
    tx.delete_chunks(id).await?;
    tx.mark_arrived(signal_id, at).await?;
    Ok(true)
}

/// Drops every chunk of an unfinished upload: it starts again from 0.
pub(crate) async fn restart<T: PhotoTx>(tx: &mut T, id: PhotoId, at: DateTime<Utc>) -> Result<(), StoreError> {
    tx.delete_chunks(id).await?;
    tx.restart(id, at).await
}

/// Joins the chunks, in order, into the uploaded bytes. A gap or an overlap would
/// mean chunks stored outside the steps above; whether the bytes are whole and right
/// is for the caller to check against the declared size and hash.
pub(crate) fn assemble(id: PhotoId, chunks: Vec<(i64, Vec<u8>)>) -> Result<Vec<u8>, StoreError> {
    let mut bytes = Vec::new();
    for (first_byte, data) in chunks {
        if u64::try_from(first_byte).ok() != Some(bytes.len() as u64) {
            return Err(StoreError::Corrupt(format!("photo {id}: a chunk at {first_byte} after {}", bytes.len())));
        }
        bytes.extend_from_slice(&data);
    }
    Ok(bytes)
}

fn gone(id: PhotoId) -> StoreError {
    StoreError::Corrupt(format!("photo upload {id} vanished inside its own transaction"))
}

/// A row of `signal_photos`, on either backend.
pub(crate) fn upload_row<R>(row: &R) -> Result<PhotoUpload, StoreError>
where
    R: Row + Columns,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'a> &'a str: ColumnIndex<R>,
{
    let count = |column: &str| -> Result<u64, StoreError> {
        let n: i64 = row.try_get(column).map_err(StoreError::read)?;
        u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("{column} {n} is negative")))
    };
    Ok(PhotoUpload {
        id: row.id("id")?,
        signal_id: row.id("signal_id")?,
        uploader_id: row.id("uploader_id")?,
        content_type: row.text("content_type")?,
        size: count("size")?,
        sha256: row.text("sha256")?,
        received: count("received")?,
        started_at: row.moment("started_at")?,
        updated_at: row.moment("updated_at")?,
        completed_at: row.opt_moment("completed_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn chunks_join_only_without_gaps() {
        let id = PhotoId::from_uuid(Uuid::nil());
        let joined = assemble(id, vec![(0, vec![1, 2]), (2, vec![3, 4, 5])]).expect("joined");
        assert_eq!(joined, [1, 2, 3, 4, 5]);
        assert!(matches!(assemble(id, vec![(0, vec![1, 2]), (3, vec![4, 5])]), Err(StoreError::Corrupt(_))));
        assert!(matches!(assemble(id, vec![(1, vec![1, 2])]), Err(StoreError::Corrupt(_))));
    }
}
