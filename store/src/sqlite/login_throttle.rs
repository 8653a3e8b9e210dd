//! Failed log-ins, counted to throttle guessing: the [`LoginThrottleStore`] on SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{moment, SqliteStore};
use crate::rows;
use crate::sql;
use crate::{LoginThrottleStore, StoreError};

#[async_trait]
impl LoginThrottleStore for SqliteStore {
    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_LOGIN_FAILURE).bind(key).bind(moment(at));
        self.write(query, || "failed log-in".to_owned()).await.map(|_| ())
    }

    async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        self.all(sqlx::query(sql::LOGIN_FAILURES_SINCE).bind(key).bind(moment(since)), rows::at).await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::CLEAR_LOGIN_FAILURES).bind(key);
        self.write(query, || "failed log-ins".to_owned()).await.map(|_| ())
    }

    async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::DELETE_LOGIN_FAILURES_BEFORE).bind(moment(before));
        self.write(query, || "old failed log-ins".to_owned()).await
    }
}
