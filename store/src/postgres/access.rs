//! Password links, registered devices and the access log: the writes with more
//! than one value to bind, and the access log's listing.

use chrono::{DateTime, Utc};
use domain::UserId;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::PostgresStore;
use crate::rows;
use crate::sql;
use crate::{AccessLogEntry, AccessLogQuery, Device, PasswordToken, StoreError};

pub(super) async fn insert_password_token(db: &PostgresStore, t: &PasswordToken) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_PASSWORD_TOKEN)
        .bind(&t.token_hash)
        .bind(t.user_id)
        .bind(t.created_at)
        .bind(t.expires_at);
    db.write(query, || "password link".to_owned()).await.map(|_| ())
}

pub(super) async fn use_password_token(
    db: &PostgresStore,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, StoreError> {
    // A write that returns a row: through `one`, whose errors are sorted as reads',
    // which is right here: the statement can break no unique or foreign-key rule.
    let query = sqlx::query(sql::USE_PASSWORD_TOKEN).bind(token_hash).bind(now);
    db.one(query, rows::user_id).await
}

pub(super) async fn insert_device(db: &PostgresStore, d: &Device) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_DEVICE)
        .bind(d.id)
        .bind(d.user_id)
        .bind(&d.label)
        .bind(&d.credential_hash)
        .bind(d.created_at)
        .bind(d.last_seen_at)
        .bind(d.revoked_at)
        .bind(d.revoked_by)
        .bind(d.issued_at);
    db.write(query, || format!("device {}", d.id)).await.map(|_| ())
}

pub(super) async fn revoke_device(
    db: &PostgresStore,
    device_id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::REVOKE_DEVICE).bind(device_id).bind(by).bind(at);
    Ok(db.write(query, || format!("device {device_id}")).await? > 0)
}

pub(super) async fn reissue_device(
    db: &PostgresStore,
    device_id: Uuid,
    credential_hash: &str,
    label: &str,
    issued_at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::REISSUE_DEVICE).bind(device_id).bind(credential_hash).bind(label).bind(issued_at);
    Ok(db.write(query, || format!("device {device_id}")).await? > 0)
}

/// All entries in one transaction: a page that showed several fields is logged whole
/// or, if the log cannot be written, not at all (and the caller then shows nothing).
pub(super) async fn append_access_log(db: &PostgresStore, entries: &[AccessLogEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let what = || "the access log".to_owned();
    let mut tx = db.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    for e in entries {
        sqlx::query(sql::INSERT_ACCESS_LOG)
            .bind(e.id)
            .bind(e.at)
            .bind(e.reader_id)
            .bind(e.record_kind.code())
            .bind(e.record_id)
            .bind(&e.field)
            .bind(&e.purpose)
            .bind(e.team_id)
            .bind(e.org_id)
            .execute(&mut *tx)
            .await
            .map_err(|err| StoreError::from_sqlx(err, &format!("access log entry {}", e.id)))?;
    }
    tx.commit().await.map_err(|e| StoreError::from_sqlx(e, &what()))
}

pub(super) async fn access_log(db: &PostgresStore, query: &AccessLogQuery) -> Result<Vec<AccessLogEntry>, StoreError> {
    let mut sql: QueryBuilder<'static, Postgres> =
        QueryBuilder::new(format!("SELECT {} FROM access_log WHERE TRUE", sql::ACCESS_LOG_COLUMNS));
    if let Some(team) = query.team_id {
        sql.push(" AND team_id = ").push_bind(team);
    }
    if let Some(org) = query.org_id {
        sql.push(" AND org_id = ").push_bind(org);
    }
    if let Some(record) = query.record_id {
        sql.push(" AND record_id = ").push_bind(record);
    }
    sql.push(sql::ACCESS_LOG_NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
    db.all(sql.build(), rows::access_log_entry).await
}
