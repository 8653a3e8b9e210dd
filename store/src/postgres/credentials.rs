//! Credentials: one-time password links and registered devices (their keys), the
//! writes with more than one value to bind.

use chrono::{DateTime, Utc};
use domain::{DeviceId, UserId};

use super::PostgresStore;
use crate::rows;
use crate::sql;
use crate::{Device, PasswordToken, StoreError};

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
    device_id: DeviceId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::REVOKE_DEVICE).bind(device_id).bind(by).bind(at);
    Ok(db.write(query, || format!("device {device_id}")).await? > 0)
}

pub(super) async fn reissue_device(
    db: &PostgresStore,
    device_id: DeviceId,
    credential_hash: &str,
    label: &str,
    issued_at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::REISSUE_DEVICE).bind(device_id).bind(credential_hash).bind(label).bind(issued_at);
    Ok(db.write(query, || format!("device {device_id}")).await? > 0)
}
