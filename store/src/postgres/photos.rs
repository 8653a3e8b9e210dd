//! Signal photos on PostgreSQL (see `crate::photos` for the steps).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{PhotoId, RecordId};
use sqlx::{Postgres, Row, Transaction};

use super::PostgresStore;
use crate::photos::{self, ChunkAnswer, PhotoTx, PhotoUpload};
use crate::rows::Columns;
use crate::sql;
use crate::sync::to_db;
use crate::{PhotoStore, StoreError};

/// A plain transaction: the steps read the upload FOR UPDATE, so a concurrent chunk of
/// the same upload waits for this one's commit and then finds it moved on.
async fn begin(db: &PostgresStore, what: &str) -> Result<Tx, StoreError> {
    let tx = db.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, what))?;
    Ok(Tx(tx))
}

async fn commit(tx: Tx, what: &str) -> Result<(), StoreError> {
    tx.0.commit().await.map_err(|e| StoreError::from_sqlx(e, what))
}

#[async_trait]
impl PhotoStore for PostgresStore {
    async fn declare_photo(&self, upload: &PhotoUpload) -> Result<Option<PhotoUpload>, StoreError> {
        let mut tx = begin(self, "photo upload").await?;
        let stored = photos::declare(&mut tx, upload).await?;
        commit(tx, "photo upload").await?;
        Ok(stored)
    }

    async fn photo_upload(&self, photo_id: PhotoId) -> Result<Option<PhotoUpload>, StoreError> {
        let row = sqlx::query(sql::PHOTO_UPLOAD).bind(photo_id).fetch_optional(&self.pool).await;
        row.map_err(StoreError::read)?.as_ref().map(photos::upload_row).transpose()
    }

    async fn append_photo_chunk(
        &self,
        photo_id: PhotoId,
        offset: u64,
        bytes: &[u8],
        at: DateTime<Utc>,
    ) -> Result<Option<ChunkAnswer>, StoreError> {
        let mut tx = begin(self, "photo chunk").await?;
        let answer = photos::append(&mut tx, photo_id, offset, bytes, at).await?;
        commit(tx, "photo chunk").await?;
        Ok(answer)
    }

    async fn uploaded_photo_bytes(&self, photo_id: PhotoId) -> Result<Vec<u8>, StoreError> {
        let rows =
            sqlx::query(sql::PHOTO_CHUNKS).bind(photo_id).fetch_all(&self.pool).await.map_err(StoreError::read)?;
        let chunks = rows
            .iter()
            .map(|row| Ok((row.try_get("first_byte")?, row.try_get("data")?)))
            .collect::<Result<Vec<(i64, Vec<u8>)>, sqlx::Error>>()
            .map_err(StoreError::read)?;
        photos::assemble(photo_id, chunks)
    }

    async fn complete_photo(&self, photo_id: PhotoId, photo: &[u8], at: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut tx = begin(self, "finished photo").await?;
        let done = photos::complete(&mut tx, photo_id, photo, at).await?;
        commit(tx, "finished photo").await?;
        Ok(done)
    }

    async fn restart_photo(&self, photo_id: PhotoId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = begin(self, "photo upload").await?;
        photos::restart(&mut tx, photo_id, at).await?;
        commit(tx, "photo upload").await
    }

    async fn signal_photo(&self, signal_id: RecordId) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query(sql::SIGNAL_PHOTO).bind(signal_id).fetch_optional(&self.pool).await;
        row.map_err(StoreError::read)?.map(|row| row.try_get("data").map_err(StoreError::read)).transpose()
    }

    async fn delete_stale_photo_uploads(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_STALE_PHOTO_UPLOADS).bind(before);
        self.write(query, || "unfinished photo uploads".to_owned()).await
    }
}

struct Tx(Transaction<'static, Postgres>);

fn write_error(what: String) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| StoreError::from_sqlx(e, &what)
}

#[async_trait]
impl PhotoTx for Tx {
    async fn upload(&mut self, photo_id: PhotoId) -> Result<Option<PhotoUpload>, StoreError> {
        let row = sqlx::query(sql::PHOTO_UPLOAD_LOCKED).bind(photo_id).fetch_optional(&mut *self.0).await;
        row.map_err(StoreError::read)?.as_ref().map(photos::upload_row).transpose()
    }

    async fn first_signal_naming(&mut self, photo_id: PhotoId) -> Result<Option<RecordId>, StoreError> {
        let row = sqlx::query(sql::FIRST_SIGNAL_NAMING_PHOTO)
            .bind(photo_id)
            .fetch_optional(&mut *self.0)
            .await
            .map_err(StoreError::read)?;
        row.map(|row| row.id("id")).transpose()
    }

    async fn drop_claim(&mut self, photo_id: PhotoId, claimant: RecordId) -> Result<(), StoreError> {
        self.delete_chunks(photo_id).await?;
        sqlx::query(sql::DELETE_PHOTO_UPLOAD)
            .bind(photo_id)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("photo {photo_id}")))?;
        sqlx::query(sql::UNMARK_SIGNAL_PHOTO_ARRIVED)
            .bind(claimant)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("neighbourhood signal {claimant}")))?;
        Ok(())
    }

    async fn insert_upload(&mut self, u: &PhotoUpload) -> Result<(), StoreError> {
        sqlx::query(sql::INSERT_PHOTO_UPLOAD)
            .bind(u.id)
            .bind(u.signal_id)
            .bind(u.uploader_id)
            .bind(&u.content_type)
            .bind(to_db(u.size)?)
            .bind(&u.sha256)
            .bind(u.started_at)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("photo {}", u.id)))?;
        Ok(())
    }

    async fn redeclare(&mut self, u: &PhotoUpload, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::REDECLARE_PHOTO_UPLOAD)
            .bind(u.id)
            .bind(&u.content_type)
            .bind(to_db(u.size)?)
            .bind(&u.sha256)
            .bind(at)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("photo {}", u.id)))?;
        Ok(())
    }

    async fn delete_chunks(&mut self, photo_id: PhotoId) -> Result<(), StoreError> {
        sqlx::query(sql::DELETE_PHOTO_CHUNKS)
            .bind(photo_id)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("chunks of photo {photo_id}")))?;
        Ok(())
    }

    async fn insert_chunk(&mut self, photo_id: PhotoId, first_byte: u64, bytes: &[u8]) -> Result<(), StoreError> {
        sqlx::query(sql::INSERT_PHOTO_CHUNK)
            .bind(photo_id)
            .bind(to_db(first_byte)?)
            .bind(bytes)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("chunk at {first_byte} of photo {photo_id}")))?;
        Ok(())
    }

    async fn advance(&mut self, photo_id: PhotoId, received: u64, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::ADVANCE_PHOTO_UPLOAD)
            .bind(photo_id)
            .bind(to_db(received)?)
            .bind(at)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("photo {photo_id}")))?;
        Ok(())
    }

    async fn complete(
        &mut self,
        photo_id: PhotoId,
        bytes: &[u8],
        at: DateTime<Utc>,
    ) -> Result<Option<RecordId>, StoreError> {
        let row = sqlx::query(sql::COMPLETE_PHOTO_UPLOAD)
            .bind(photo_id)
            .bind(at)
            .bind(bytes)
            .fetch_optional(&mut *self.0)
            .await
            .map_err(write_error(format!("photo {photo_id}")))?;
        row.map(|row| row.id("signal_id")).transpose()
    }

    async fn mark_arrived(&mut self, signal_id: RecordId, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::MARK_SIGNAL_PHOTO_ARRIVED)
            .bind(signal_id)
            .bind(at)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("neighbourhood signal {signal_id}")))?;
        Ok(())
    }

    async fn restart(&mut self, photo_id: PhotoId, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::RESTART_PHOTO_UPLOAD)
            .bind(photo_id)
            .bind(at)
            .execute(&mut *self.0)
            .await
            .map_err(write_error(format!("photo {photo_id}")))?;
        Ok(())
    }
}
