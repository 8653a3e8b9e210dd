//! Phones registered for offline use. A phone gets an id and a long-lived secret at
//! log-in, so it can sync later without a fresh log-in while out of coverage. A team
//! lead, an admin or the owner can revoke it: its next sync is refused with a reason,
//! and the phone keeps its unsent entries until its owner logs in again.

use chrono::{DateTime, TimeDelta, Utc};
use domain::{DeviceId, TeamId, User, UserId};
use store::Device;
use uuid::Uuid;

use crate::secrets::{hash_token, new_token};
use crate::{authorize, Action, Actor, Resource, ServiceError, Services};

/// What the phone keeps: `"<device id>.<secret>"`, sent as `Authorization: Device …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCredential {
    pub device_id: DeviceId,
    pub secret: String,
}

impl DeviceCredential {
    pub fn to_header_value(&self) -> String {
        format!("{}.{}", self.device_id, self.secret)
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let (id, secret) = raw.trim().split_once('.')?;
        let device_id = id.parse().ok()?;
        (secret.len() == 64 && secret.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| Self { device_id, secret: secret.to_owned() })
    }
}

/// Whose devices to list.
#[derive(Debug, Clone, Copy)]
pub enum DeviceScope {
    User(UserId),
    Team(TeamId),
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

/// A request authenticated by a phone's device key.
#[derive(Debug, Clone)]
pub struct DeviceCaller {
    pub user: User,
    /// The owner, limited to what a device key may do (see `domain::policy::Via`).
    pub actor: Actor,
    pub device: Device,
}

impl Services {
    /// Registers the phone of the person logged in with the session `session_token`.
    /// Only a password session registers a phone, never a device key: a stolen key
    /// must not mint more keys. The phone may name its own id: it makes one before its
    /// first entry, so its outbox can number entries offline, and keeps it across
    /// log-outs and revocations. Registering that id again gives the device a fresh
    /// secret, so the unsent entries keep their device and numbers and still arrive
    /// exactly once (a new id would make them strangers to the server's dedupe). A
    /// revoked id comes back only in a session started after the revocation, i.e.
    /// through its owner typing the password again.
    pub async fn register_device(
        &self,
        session_token: &str,
        label: &str,
        chosen_id: Option<DeviceId>,
    ) -> Result<DeviceCredential, ServiceError> {
        let now = self.now();
        let session =
            self.store.live_session(&hash_token(session_token), now).await?.ok_or(ServiceError::NotLoggedIn)?;
        let user = self.store.user(session.user_id).await?.ok_or(ServiceError::NotLoggedIn)?;
        let actor = crate::actor_of(&user);
        authorize(&actor, Action::Create, &Resource::Device { owner_id: actor.user_id, owner_team_id: actor.team_id })?;
        let secret = new_token();
        let known = match chosen_id {
            Some(id) => self.store.device(id).await?,
            None => None,
        };
        let device_id = match known {
            // Someone else's device id: refused without saying whose.
            Some(known) if known.user_id != actor.user_id => return Err(ServiceError::Forbidden),
            Some(known) => {
                if known.revoked_at.is_some_and(|revoked| session.created_at <= revoked) {
                    tracing::info!(device = %known.id, user = %actor.user_id, "revoked device refused: session older than the revocation");
                    return Err(ServiceError::DeviceRevoked);
                }
                self.store.reissue_device(known.id, &hash_token(&secret), &label_of(label), now).await?;
                tracing::info!(device = %known.id, user = %actor.user_id, was_revoked = known.revoked_at.is_some(), "device registered again");
                known.id
            }
            None => {
                let device = Device {
                    id: chosen_id.unwrap_or_else(DeviceId::new_v7),
                    user_id: actor.user_id,
                    label: label_of(label),
                    credential_hash: hash_token(&secret),
                    created_at: now,
                    last_seen_at: None,
                    revoked_at: None,
                    revoked_by: None,
                    issued_at: now,
                };
                self.store.insert_device(&device).await?;
                tracing::info!(device = %device.id, user = %actor.user_id, "device registered");
                device.id
            }
        };
        self.store.bind_session_to_device(&session.token_hash, device_id).await?;
        Ok(DeviceCredential { device_id, secret })
    }

    /// The phone and person behind a device key. A revoked or expired key is refused
    /// with its own error, so the phone can tell its owner why and keep its outbox.
    pub async fn device_caller(&self, raw_credential: &str) -> Result<DeviceCaller, ServiceError> {
        let credential = DeviceCredential::parse(raw_credential).ok_or(ServiceError::NotLoggedIn)?;
        let device = self.store.device(credential.device_id).await?.ok_or(ServiceError::NotLoggedIn)?;
        // Constant-time enough: both sides are hashes of 256-bit secrets.
        if device.credential_hash != hash_token(&credential.secret) {
            return Err(ServiceError::NotLoggedIn);
        }
        if device.revoked_at.is_some() {
            return Err(ServiceError::DeviceRevoked);
        }
        let now = self.now();
        if now - device.issued_at > self.settings.device_key_life {
            return Err(ServiceError::DeviceKeyExpired);
        }
        let user = self.store.user(device.user_id).await?.ok_or(ServiceError::NotLoggedIn)?;
        if needs_touch(device.last_seen_at, now) {
            self.store.touch_device(device.id, now).await?;
        }
        let actor = crate::actor_of(&user).through_device_key();
        Ok(DeviceCaller { user, actor, device })
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
                let resource =
                    Resource::Device { owner_id: UserId::from_uuid(Uuid::nil()), owner_team_id: Some(team_id) };
                authorize(actor, Action::Read, &resource)?;
                Ok(self.store.devices_of_team(team_id).await?)
            }
        }
    }

    /// The phone the session `session_token` registered, if any: "this phone" on the
    /// screens that list phones.
    pub async fn device_of_session(&self, session_token: &str) -> Result<Option<DeviceId>, ServiceError> {
        let session = self.store.live_session(&hash_token(session_token), self.now()).await?;
        Ok(session.and_then(|s| s.device_id))
    }

    /// Revokes a device: its next request is refused. The session it was registered
    /// in ends with it (a lost phone may still hold a live cookie, with which it could
    /// register itself again); the revoker's own session, and the owner's sessions on
    /// other devices, stay.
    pub async fn revoke_device(&self, actor: &Actor, device_id: DeviceId) -> Result<(), ServiceError> {
        let device = self.store.device(device_id).await?.ok_or(ServiceError::NotFound)?;
        let owner = self.store.user(device.user_id).await?.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Manage, &Resource::Device { owner_id: owner.id, owner_team_id: owner.team_id })?;
        if !self.store.revoke_device(device_id, actor.user_id, self.now()).await? {
            return Err(ServiceError::Conflict("device already revoked".into()));
        }
        let ended = self.store.delete_sessions_of_device(device_id).await?;
        tracing::info!(device = %device_id, by = %actor.user_id, sessions_ended = ended, "device revoked");
        Ok(())
    }

    /// A new password was set: every phone of the account must log in with it, and
    /// every session ends. The phones keep their unsent entries, as after any
    /// revocation, and send them after the next log-in.
    pub(crate) async fn sign_off_everywhere(&self, user_id: UserId) -> Result<(), ServiceError> {
        let revoked = self.store.revoke_devices_of_user(user_id, user_id, self.now()).await?;
        let ended = self.store.delete_sessions_of_user(user_id).await?;
        tracing::info!(user = %user_id, devices_revoked = revoked, sessions_ended = ended, "new password: signed off everywhere");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_round_trip_and_garbage_is_refused() {
        let credential = DeviceCredential { device_id: DeviceId::new_v7(), secret: new_token() };
        assert_eq!(DeviceCredential::parse(&credential.to_header_value()), Some(credential));
        assert_eq!(DeviceCredential::parse("nope"), None);
        assert_eq!(DeviceCredential::parse(&format!("{}.short", Uuid::now_v7())), None);
    }

    #[test]
    fn last_seen_is_written_at_most_once_a_minute() {
        let now = DateTime::<Utc>::UNIX_EPOCH + TimeDelta::days(20_000);
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
