//! Log-in sessions and the phones registered in them: the [`SessionStore`] on SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{DeviceId, UserId};

use super::{id, moment, SqliteStore};
use crate::rows;
use crate::sql;
use crate::{Session, SessionStore, StoreError};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn insert_session(&self, s: &Session) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_SESSION)
            .bind(&s.token_hash)
            .bind(id(s.user_id))
            .bind(moment(s.created_at))
            .bind(moment(s.expires_at));
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn live_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
        let query = sqlx::query(sql::LIVE_SESSION).bind(token_hash).bind(moment(now));
        self.one(query, rows::session).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::DELETE_SESSION).bind(token_hash);
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_EXPIRED_SESSIONS).bind(moment(now));
        self.write(query, || "expired sessions".to_owned()).await
    }

    async fn delete_sessions_of_user(&self, user_id: UserId) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_SESSIONS_OF_USER).bind(id(user_id));
        self.write(query, || format!("sessions of user {user_id}")).await
    }

    async fn bind_session_to_device(&self, token_hash: &str, device_id: DeviceId) -> Result<(), StoreError> {
        let query = sqlx::query(sql::BIND_SESSION_TO_DEVICE).bind(token_hash).bind(id(device_id));
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn delete_sessions_of_device(&self, device_id: DeviceId) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_SESSIONS_OF_DEVICE).bind(id(device_id));
        self.write(query, || format!("sessions of device {device_id}")).await
    }

    async fn visit(&self, user_id: UserId, screen: &str) -> Result<Option<crate::Visit>, StoreError> {
        self.one(sqlx::query(sql::VISIT).bind(id(user_id)).bind(screen), visit_row).await
    }

    async fn save_visit(&self, user_id: UserId, screen: &str, visit: &crate::Visit) -> Result<(), StoreError> {
        let query = sqlx::query(sql::SAVE_VISIT)
            .bind(id(user_id))
            .bind(screen)
            .bind(moment(visit.seen_at))
            .bind(moment(visit.changes_since));
        self.write(query, || format!("visit of {user_id} to {screen}")).await.map(|_| ())
    }
}

fn visit_row(row: &sqlx::sqlite::SqliteRow) -> Result<crate::Visit, StoreError> {
    use crate::rows::Columns;
    Ok(crate::Visit { seen_at: row.moment("seen_at")?, changes_since: row.moment("changes_since")? })
}
