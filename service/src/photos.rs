//! A signal's photo: declared and uploaded in chunks by the signal's author after the
//! signal itself has been pushed, then shown to whoever may read the signal's text.
//!
//! Only the author uploads: the photo belongs to the first signal that names it (a
//! push refuses a later create naming the same photo id), and an upload of anyone
//! else's is answered as if it did not exist. The finished photo is checked
//! (size, SHA-256, really a JPEG) and stripped of metadata (see [`crate::jpeg`]) before
//! it is stored; bytes that fail a check are dropped and the upload starts again from
//! 0, since resending the same chunks could only fail the same way.

use domain::photo::{ChunkFit, DeclarationError, PhotoDeclaration, PhotoState, MAX_CHUNK_BYTES};
use domain::{PhotoId, RecordId};
use sha2::{Digest, Sha256};
use store::{PhotoUpload, RecordKind};

use crate::access_log::Shown;
use crate::jpeg::strip_metadata;
use crate::{authorize, Action, Actor, Resource, ServiceError, Services};

/// Why an upload step was refused. Every variant that carries a state tells the phone
/// where the upload now stands.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The signal is not on the server, or not this person's signal with this photo:
    /// the phone pushes the signal first and tries again.
    #[error("the signal this photo belongs to has not been synced")]
    RecordNotSynced,
    #[error(transparent)]
    Declaration(#[from] DeclarationError),
    #[error("a chunk is over the limit of {MAX_CHUNK_BYTES} bytes")]
    ChunkTooLarge,
    /// The chunk is not at the upload's next byte; nothing was stored.
    #[error("the chunk is not at byte {}", .0.received)]
    OffsetMismatch(PhotoState),
    /// The chunk runs past the declared size; nothing was stored.
    #[error("the chunk runs past the declared size of {} bytes", .0.size)]
    PastEnd(PhotoState),
    /// Every byte arrived but they are not what was declared; the upload restarted.
    #[error("the uploaded bytes do not match the declared size and SHA-256")]
    Mismatch(PhotoState),
    /// Every byte arrived but they are not a JPEG; the upload restarted.
    #[error("the uploaded bytes are not a JPEG image")]
    NotJpeg(PhotoState),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<store::StoreError> for PhotoError {
    fn from(err: store::StoreError) -> Self {
        Self::Service(err.into())
    }
}

impl Services {
    /// `PUT`: declares the upload of the photo a signal was filed with, or answers how
    /// far it got (repeating it is harmless).
    pub async fn declare_photo(
        &self,
        actor: &Actor,
        photo_id: PhotoId,
        declaration: &PhotoDeclaration,
    ) -> Result<PhotoState, PhotoError> {
        let checked = declaration.check()?;
        let signal = self.store.signal(checked.signal_id).await?.ok_or(PhotoError::RecordNotSynced)?;
        // Someone else's signal answers like a missing one: nothing is confirmed to exist.
        if signal.author_id != actor.user_id || signal.photo.map(|p| p.id) != Some(photo_id) {
            return Err(PhotoError::RecordNotSynced);
        }
        let now = self.now();
        let upload = PhotoUpload {
            id: photo_id,
            signal_id: signal.id,
            uploader_id: actor.user_id,
            content_type: checked.content_type,
            size: checked.size,
            sha256: checked.sha256,
            received: 0,
            started_at: now,
            updated_at: now,
            completed_at: None,
        };
        // A photo belongs to the first signal that names it, and so to that signal's
        // author on any of their phones (a re-login on a new phone still uploads it).
        // A later signal naming the same id is someone else's claim: refused like a
        // missing signal, and it cannot block the owner (the store drops it for them).
        let stored = self.store.declare_photo(&upload).await?.ok_or(PhotoError::RecordNotSynced)?;
        if stored.uploader_id != actor.user_id {
            // Declared earlier by someone else for this very signal: not possible while
            // only the author declares, and answered as missing should it happen.
            return Err(PhotoError::RecordNotSynced);
        }
        self.finish_if_whole(stored).await
    }

    /// `PATCH`: stores a chunk at `offset`; the last one completes the photo.
    pub async fn upload_photo_chunk(
        &self,
        actor: &Actor,
        photo_id: PhotoId,
        offset: u64,
        chunk: &[u8],
    ) -> Result<PhotoState, PhotoError> {
        if chunk.len() > MAX_CHUNK_BYTES {
            return Err(PhotoError::ChunkTooLarge);
        }
        self.own_upload(actor, photo_id).await?;
        let answer =
            self.store.append_photo_chunk(photo_id, offset, chunk, self.now()).await?.ok_or(ServiceError::NotFound)?;
        match answer.fit {
            ChunkFit::Append | ChunkFit::Empty => self.finish_if_whole(answer.upload).await,
            ChunkFit::Complete => Ok(answer.upload.state()),
            ChunkFit::OffsetMismatch => Err(PhotoError::OffsetMismatch(answer.upload.state())),
            ChunkFit::PastEnd => Err(PhotoError::PastEnd(answer.upload.state())),
        }
    }

    /// `GET`: where the upload stands, for a phone resuming after a restart.
    pub async fn photo_upload_state(&self, actor: &Actor, photo_id: PhotoId) -> Result<PhotoState, PhotoError> {
        Ok(self.own_upload(actor, photo_id).await?.state())
    }

    /// The upload, if it is the actor's; anyone else's does not exist for them.
    async fn own_upload(&self, actor: &Actor, photo_id: PhotoId) -> Result<PhotoUpload, ServiceError> {
        match self.store.photo_upload(photo_id).await? {
            Some(upload) if upload.uploader_id == actor.user_id => Ok(upload),
            _ => Err(ServiceError::NotFound),
        }
    }

    /// Completes an upload whose every byte has arrived: on the last chunk, and again
    /// on the next request when the server stopped in between.
    async fn finish_if_whole(&self, upload: PhotoUpload) -> Result<PhotoState, PhotoError> {
        if !upload.awaits_completion() {
            return Ok(upload.state());
        }
        let bytes = self.store.uploaded_photo_bytes(upload.id).await?;
        let restarted = PhotoState { received: 0, ..upload.state() };
        let digest = hex::encode(Sha256::digest(&bytes));
        if bytes.len() as u64 != upload.size || digest != upload.sha256 {
            self.store.restart_photo(upload.id, self.now()).await?;
            tracing::info!(photo = %upload.id, "photo upload did not match its declaration; restarted");
            return Err(PhotoError::Mismatch(restarted));
        }
        let photo = match tokio::task::spawn_blocking(move || strip_metadata(bytes)).await {
            Ok(Ok(photo)) => photo,
            Ok(Err(not_jpeg)) => {
                self.store.restart_photo(upload.id, self.now()).await?;
                tracing::info!(photo = %upload.id, error = %not_jpeg, "photo upload refused; restarted");
                return Err(PhotoError::NotJpeg(restarted));
            }
            Err(e) => return Err(ServiceError::Internal(format!("photo check failed: {e}")).into()),
        };
        if self.store.complete_photo(upload.id, &photo, self.now()).await? {
            tracing::info!(photo = %upload.id, signal = %upload.signal_id, bytes = photo.len(), "photo stored");
        }
        // Also when a concurrent request completed (or restarted) it first: say how it is.
        let now = self.store.photo_upload(upload.id).await?.ok_or(ServiceError::NotFound)?;
        Ok(now.state())
    }

    /// A signal's photo, for those who may read its text; every showing is logged.
    pub async fn signal_photo(
        &self,
        actor: &Actor,
        signal_id: RecordId,
        purpose: &str,
    ) -> Result<Vec<u8>, ServiceError> {
        let signal = self.store.signal(signal_id).await?.ok_or(ServiceError::NotFound)?;
        let resource = Resource::from(&signal);
        authorize(actor, Action::Read, &resource)?;
        authorize(actor, Action::ReadPersonal, &resource)?;
        let photo = self.store.signal_photo(signal_id).await?.ok_or(ServiceError::NotFound)?;
        let shown = Shown {
            kind: RecordKind::Signal,
            record_id: signal.id,
            field: "photo",
            team_id: signal.team_id,
            org_id: signal.author_org_id,
        };
        self.log_shown(actor, purpose, &[shown]).await?;
        Ok(photo)
    }
}
