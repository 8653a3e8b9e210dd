//! Credentials: one-time password links and registered devices (their keys), the
//! [`CredentialStore`] on PostgreSQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{DeviceId, TeamId, UserId};

use super::PostgresStore;
use crate::rows;
use crate::sql;
use crate::{CredentialStore, Device, PasswordToken, StoreError};

#[async_trait]
impl CredentialStore for PostgresStore {
    async fn insert_password_token(&self, t: &PasswordToken) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_PASSWORD_TOKEN)
            .bind(&t.token_hash)
            .bind(t.user_id)
            .bind(t.created_at)
            .bind(t.expires_at);
        self.write(query, || "password link".to_owned()).await.map(|_| ())
    }

    async fn use_password_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserId>, StoreError> {
        // A write that returns a row: through `one`, whose errors are sorted as reads',
        // which is right here: the statement can break no unique or foreign-key rule.
        let query = sqlx::query(sql::USE_PASSWORD_TOKEN).bind(token_hash).bind(now);
        self.one(query, rows::user_id).await
    }

    async fn insert_device(&self, d: &Device) -> Result<(), StoreError> {
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
        self.write(query, || format!("device {}", d.id)).await.map(|_| ())
    }

    async fn device(&self, device_id: DeviceId) -> Result<Option<Device>, StoreError> {
        self.one(sqlx::query(sql::DEVICE).bind(device_id), rows::device).await
    }

    async fn devices_of_user(&self, user_id: UserId) -> Result<Vec<Device>, StoreError> {
        self.all(sqlx::query(sql::DEVICES_OF_USER).bind(user_id), rows::device).await
    }

    async fn devices_of_team(&self, team_id: TeamId) -> Result<Vec<Device>, StoreError> {
        self.all(sqlx::query(sql::DEVICES_OF_TEAM).bind(team_id), rows::device).await
    }

    async fn revoke_device(&self, device_id: DeviceId, by: UserId, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let query = sqlx::query(sql::REVOKE_DEVICE).bind(device_id).bind(by).bind(at);
        Ok(self.write(query, || format!("device {device_id}")).await? > 0)
    }

    async fn reissue_device(
        &self,
        device_id: DeviceId,
        credential_hash: &str,
        label: &str,
        issued_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let query = sqlx::query(sql::REISSUE_DEVICE).bind(device_id).bind(credential_hash).bind(label).bind(issued_at);
        Ok(self.write(query, || format!("device {device_id}")).await? > 0)
    }

    async fn revoke_devices_of_user(&self, user_id: UserId, by: UserId, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::REVOKE_DEVICES_OF_USER).bind(user_id).bind(by).bind(at);
        self.write(query, || format!("devices of user {user_id}")).await
    }

    async fn touch_device(&self, device_id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let query = sqlx::query(sql::TOUCH_DEVICE).bind(device_id).bind(at);
        self.write(query, || format!("device {device_id}")).await.map(|_| ())
    }
}
