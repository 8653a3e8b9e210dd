//! Log-in sessions and the phones registered in them: the [`SessionStore`] on
//! PostgreSQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{DeviceId, UserId};

use super::PostgresStore;
use crate::rows;
use crate::sql;
use crate::{Session, SessionStore, StoreError};

#[async_trait]
impl SessionStore for PostgresStore {
    async fn insert_session(&self, s: &Session) -> Result<(), StoreError> {
        let query =
            sqlx::query(sql::INSERT_SESSION).bind(&s.token_hash).bind(s.user_id).bind(s.created_at).bind(s.expires_at);
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn live_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
        let query = sqlx::query(sql::LIVE_SESSION).bind(token_hash).bind(now);
        self.one(query, rows::session).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::DELETE_SESSION).bind(token_hash);
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_EXPIRED_SESSIONS).bind(now);
        self.write(query, || "expired sessions".to_owned()).await
    }

    async fn delete_sessions_of_user(&self, user_id: UserId) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_SESSIONS_OF_USER).bind(user_id);
        self.write(query, || format!("sessions of user {user_id}")).await
    }

    async fn bind_session_to_device(&self, token_hash: &str, device_id: DeviceId) -> Result<(), StoreError> {
        let query = sqlx::query(sql::BIND_SESSION_TO_DEVICE).bind(token_hash).bind(device_id);
        self.write(query, || "session".to_owned()).await.map(|_| ())
    }

    async fn delete_sessions_of_device(&self, device_id: DeviceId) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_SESSIONS_OF_DEVICE).bind(device_id);
        self.write(query, || format!("sessions of device {device_id}")).await
    }

    async fn visit(&self, user_id: UserId, screen: &str) -> Result<Option<crate::Visit>, StoreError> {
        self.one(sqlx::query(sql::VISIT).bind(user_id).bind(screen), visit_row).await
    }

    async fn save_visit(&self, user_id: UserId, screen: &str, visit: &crate::Visit) -> Result<(), StoreError> {
        let query =
            sqlx::query(sql::SAVE_VISIT).bind(user_id).bind(screen).bind(visit.seen_at).bind(visit.changes_since);
        self.write(query, || format!("visit of {user_id} to {screen}")).await.map(|_| ())
    }
}

fn visit_row(row: &sqlx::postgres::PgRow) -> Result<crate::Visit, StoreError> {
    use crate::rows::Columns;
    Ok(crate::Visit { seen_at: row.moment("seen_at")?, changes_since: row.moment("changes_since")? })
}
