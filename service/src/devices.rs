//! Phones registered for offline use. A phone gets an id and a long-lived secret at
//! log-in, so it can sync later without a fresh log-in while out of coverage. A team
//! lead, an admin or the owner can revoke it: its next sync is refused with a reason,
//! and the phone keeps its unsent entries until its owner logs in again.

use chrono::{DateTime, TimeDelta, Utc};
use domain::User;
use store::Device;
use uuid::Uuid;

use crate::secrets::{hash_token, new_token};
use crate::{authorize, Action, Actor, Resource, ServiceError, Services};

/// What the phone keeps: `"<device id>.<secret>"`, sent as `Authorization: Device …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCredential {
    pub device_id: Uuid,
    pub secret: String,
}

impl DeviceCredential {
    pub fn to_header_value(&self) -> String {
        format!("{}.{}", self.device_id, self.secret)
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let (id, secret) = raw.trim().split_once('.')?;
        let device_id = Uuid::parse_str(id).ok()?;
        (secret.len() == 64 && secret.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| Self { device_id, secret: secret.to_owned() })
    }
}

/// Whose devices to list.
#[derive(Debug, Clone, Copy)]
pub enum DeviceScope {
    User(Uuid),
    Team(Uuid),
}

/// How stale `last_seen_at` may get before a request writes it again. Leads see it to
/// the minute ("Laatst gezien 14:05"); writing it on every request cost every push a
/// second write transaction, queued on SQLite's one write lock behind the pushes.
const LAST_SEEN_STEP: TimeDelta = TimeDelta::minutes(1);

fn needs_touch(last_seen_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_seen_at.is_none_or(|seen| now - seen >= LAST_SEEN_STEP)
}

fn label_of(raw: &str) -> String {
    let label: String = raw.trim().chars().filter(|c| !c.is_control()).take(80).collect();
    if label.is_empty() {
        "Toestel".to_owned()
    } else {
        label
    }
}

impl Services {
    /// Registers a phone for the logged-in actor. The phone may name its own id: it
    /// makes one before its first entry, so its outbox can number entries offline, and
    /// keeps it across log-outs and revocations. Logging in again on a phone the
    /// person registered before gives that same device a fresh secret (and undoes a
    /// revocation: the password was just proven), so the unsent entries keep their
    /// device and numbers and still arrive exactly once. A new device id would make
    /// them strangers to the server's dedupe.
    pub async fn register_device(
        &self,
        actor: &Actor,
        label: &str,
        chosen_id: Option<Uuid>,
    ) -> Result<DeviceCredential, ServiceError> {
        authorize(actor, Action::Create, &Resource::Device { owner_id: actor.user_id, owner_team_id: actor.team_id })?;
        let secret = new_token();
        if let Some(id) = chosen_id {
            if let Some(known) = self.store.device(id).await? {
                // Someone else's device id: refused without saying whose.
                if known.user_id != actor.user_id {
                    return Err(ServiceError::Forbidden);
                }
                self.store.reissue_device(id, &hash_token(&secret), &label_of(label)).await?;
                tracing::info!(device = %id, user = %actor.user_id, was_revoked = known.revoked_at.is_some(), "device registered again");
                return Ok(DeviceCredential { device_id: id, secret });
            }
        }
        let device = Device {
            id: chosen_id.unwrap_or_else(Uuid::now_v7),
            user_id: actor.user_id,
            label: label_of(label),
            credential_hash: hash_token(&secret),
            created_at: self.now(),
            last_seen_at: None,
            revoked_at: None,
            revoked_by: None,
        };
        self.store.insert_device(&device).await?;
        tracing::info!(device = %device.id, user = %actor.user_id, "device registered");
        Ok(DeviceCredential { device_id: device.id, secret })
    }

    /// The user a device credential belongs to. A revoked device is refused with its
    /// own error, so the phone can tell its owner why and keep its outbox.
    pub async fn device_user(&self, raw_credential: &str) -> Result<(User, Device), ServiceError> {
        let credential = DeviceCredential::parse(raw_credential).ok_or(ServiceError::NotLoggedIn)?;
        let device = self.store.device(credential.device_id).await?.ok_or(ServiceError::NotLoggedIn)?;
        // Constant-time enough: both sides are hashes of 256-bit secrets.
        if device.credential_hash != hash_token(&credential.secret) {
            return Err(ServiceError::NotLoggedIn);
        }
        if device.revoked_at.is_some() {
            return Err(ServiceError::DeviceRevoked);
        }
        let user = self.store.user(device.user_id).await?.ok_or(ServiceError::NotLoggedIn)?;
        let now = self.now();
        if needs_touch(device.last_seen_at, now) {
            self.store.touch_device(device.id, now).await?;
        }
        Ok((user, device))
    }

    pub async fn devices(&self, actor: &Actor, scope: DeviceScope) -> Result<Vec<Device>, ServiceError> {
        match scope {
            DeviceScope::User(user_id) => {
                let owner = self.store.user(user_id).await?.ok_or(ServiceError::NotFound)?;
                let resource = Resource::Device { owner_id: owner.id, owner_team_id: owner.team_id };
                authorize(actor, Action::Read, &resource)?;
                Ok(self.store.devices_of_user(user_id).await?)
            }
            DeviceScope::Team(team_id) => {
                // Reading a team's phones is managing its members' devices.
                let resource = Resource::Device { owner_id: Uuid::nil(), owner_team_id: Some(team_id) };
                authorize(actor, Action::Read, &resource)?;
                Ok(self.store.devices_of_team(team_id).await?)
            }
        }
    }

    /// Revokes a device; its sessions-to-come are refused at the next sync.
    pub async fn revoke_device(&self, actor: &Actor, device_id: Uuid) -> Result<(), ServiceError> {
        let device = self.store.device(device_id).await?.ok_or(ServiceError::NotFound)?;
        let owner = self.store.user(device.user_id).await?.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Manage, &Resource::Device { owner_id: owner.id, owner_team_id: owner.team_id })?;
        if !self.store.revoke_device(device_id, actor.user_id, self.now()).await? {
            return Err(ServiceError::Conflict("device already revoked".into()));
        }
        // A lost phone may still hold a live session cookie, with which it could register
        // itself again (see `register_device`). Ending the owner's sessions means only
        // someone who knows the password brings the device back.
        let ended = self.store.delete_sessions_of_user(owner.id).await?;
        tracing::info!(device = %device_id, by = %actor.user_id, sessions_ended = ended, "device revoked");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_round_trip_and_garbage_is_refused() {
        let credential = DeviceCredential { device_id: Uuid::now_v7(), secret: new_token() };
        assert_eq!(DeviceCredential::parse(&credential.to_header_value()), Some(credential));
        assert_eq!(DeviceCredential::parse("nope"), None);
        assert_eq!(DeviceCredential::parse(&format!("{}.short", Uuid::now_v7())), None);
    }

    #[test]
    fn last_seen_is_written_at_most_once_a_minute() {
        let now = Utc::now();
        assert!(needs_touch(None, now), "never seen: written");
        assert!(!needs_touch(Some(now - TimeDelta::seconds(59)), now));
        assert!(needs_touch(Some(now - LAST_SEEN_STEP), now));
        assert!(!needs_touch(Some(now + TimeDelta::seconds(5)), now), "a later touch already landed");
    }

    #[test]
    fn labels_are_trimmed_and_never_empty() {
        assert_eq!(label_of("  Pixel 7\n"), "Pixel 7");
        assert_eq!(label_of(""), "Toestel");
        assert_eq!(label_of(&"x".repeat(200)).len(), 80);
    }
}
