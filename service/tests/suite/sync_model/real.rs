//! The real server for a simulated run: the organisation and the people the simulator
//! assumes, their phones registered as a phone registers, and every delivery replayed
//! through the calls the HTTP API makes, each answer compared with the ledger's.

use domain::{DeviceId, DistrictId, UserId};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use domain::sync::scenario::neighbourhood_id;
use domain::sync::sim::{Delivery, World};
use domain::sync::{BatchError, Outcome, PushBatch, Receipt, Sender};
use domain::{District, ManualClock, Neighbourhood, Role, Team, User};
use proptest::test_runner::TestCaseError;
use service::sync::PushError;
use service::{actor_of, ServiceError, Services, Settings};
use store::Store;
use uuid::Uuid;

/// A square around the simulator's entries; they carry no place, so any boundary does.
const SQUARE: &str =
    r#"{"type":"Polygon","coordinates":[[[4.43,51.21],[4.44,51.21],[4.44,51.22],[4.43,51.22],[4.43,51.21]]]}"#;

pub struct RealServer {
    pub services: Services,
    clock: Arc<ManualClock>,
    /// Each device's owner, as stored.
    owners: HashMap<DeviceId, User>,
    /// Each device's current key, as the phone sends it (`Authorization: Device …`).
    keys: HashMap<DeviceId, String>,
    /// What was compared so far.
    pub tally: Tally,
}

/// How much a run exercised: pushes compared, and their receipts by outcome.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    pub runs: usize,
    pub pushes: usize,
    /// Pushes refused as a whole (a revoked phone).
    pub refused: usize,
    pub applied: usize,
    pub rejected: usize,
    pub conflict: usize,
    pub deferred: usize,
}

impl Tally {
    fn count(&mut self, answer: &Result<Vec<Receipt>, BatchError>) {
        self.pushes += 1;
        let Ok(receipts) = answer else {
            self.refused += 1;
            return;
        };
        for receipt in receipts {
            match receipt.outcome {
                Outcome::Applied { .. } => self.applied += 1,
                Outcome::Rejected { .. } => self.rejected += 1,
                Outcome::Conflict { .. } => self.conflict += 1,
                Outcome::Deferred => self.deferred += 1,
            }
        }
    }

    pub fn add(&mut self, other: Tally) {
        self.runs += other.runs;
        self.pushes += other.pushes;
        self.refused += other.refused;
        self.applied += other.applied;
        self.rejected += other.rejected;
        self.conflict += other.conflict;
        self.deferred += other.deferred;
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} runs, {} pushes compared ({} refused whole); receipts: {} applied, {} rejected, {} conflict, {} deferred",
            self.runs, self.pushes, self.refused, self.applied, self.rejected, self.conflict, self.deferred
        )
    }
}

impl RealServer {
    /// The district, team and neighbourhood the simulator's senders and entries name,
    /// one officer per device, and each device registered by its owner's log-in.
    pub async fn set_up(store: Arc<dyn Store>, world: &World) -> Result<Self, TestCaseError> {
        let senders = world.senders();
        let team_id = senders.first().map(|(_, s)| s.team_id).expect("the office at least");
        let district = District { id: DistrictId::from_uuid(Uuid::from_u128(0xd15)), name: "Model".to_owned() };
        let team = Team { id: team_id, district_id: district.id, name: "Wijkteam Model".to_owned() };
        let hood = Neighbourhood {
            id: neighbourhood_id(),
            district_id: district.id,
            name: "Model-Noord".to_owned(),
            boundary_geojson: SQUARE.to_owned(),
        };
        real(store.insert_district(&district).await, "district")?;
        real(store.insert_team(&team).await, "team")?;
        real(store.insert_neighbourhood(&hood).await, "neighbourhood")?;

        let clock = Arc::new(ManualClock::new(world.now));
        let services = Services::new(store.clone(), Settings::default(), clock.clone());
        let tally = Tally { runs: 1, ..Tally::default() };
        let mut server = Self { services, clock, owners: HashMap::new(), keys: HashMap::new(), tally };
        for (n, (device_id, sender)) in senders.iter().enumerate() {
            let owner = officer(n, sender);
            // Never used to log in: sessions are started directly (see `log_in`).
            real(store.insert_user(&owner, "$argon2id$v=19$unused").await, "officer")?;
            server.owners.insert(*device_id, owner);
            server.log_in(*device_id, world.now).await?;
        }
        Ok(server)
    }

    /// Replays what reached the ledger, in the same order and at the same moments.
    pub async fn replay(&mut self, deliveries: Vec<Delivery>) -> Result<(), TestCaseError> {
        for delivery in deliveries {
            match delivery {
                Delivery::Push { batch, at, answer } => {
                    let got = self.push(&batch, at).await?;
                    self.tally.count(&answer);
                    if got != answer {
                        return Err(TestCaseError::fail(differences(self.tally.pushes, &batch, &answer, &got)));
                    }
                }
                Delivery::Revoke { device_id, at } => self.revoke(device_id, at).await?,
                Delivery::LogIn { device_id, at } => self.log_in(device_id, at).await?,
            }
        }
        Ok(())
    }

    /// What `POST /sync/push` does: authenticate the device key (`Caller`), then
    /// `Services::push` as the key's actor. A key refused as revoked is the ledger's
    /// `UnknownDevice` (both are the 401 a phone hears).
    async fn push(
        &self,
        batch: &PushBatch,
        at: DateTime<Utc>,
    ) -> Result<Result<Vec<Receipt>, BatchError>, TestCaseError> {
        self.clock.set(at);
        let key = self.keys.get(&batch.device_id).expect("every device of the run has a key");
        let caller = match self.services.device_caller(key).await {
            Ok(caller) => caller,
            Err(ServiceError::DeviceRevoked) => return Ok(Err(BatchError::UnknownDevice)),
            Err(other) => return Err(TestCaseError::fail(format!("device key of {}: {other}", batch.device_id))),
        };
        match self.services.push(Some(caller.device.id), &caller.actor, batch.clone()).await {
            Ok(receipts) => Ok(Ok(receipts)),
            Err(PushError::Batch(refused)) => Ok(Err(refused)),
            Err(other) => Err(TestCaseError::fail(format!("push of {}: {other}", batch.device_id))),
        }
    }

    /// The owner revokes the phone on the web. The ledger does nothing for a device
    /// already revoked; the service says so (`Conflict`), which is the same.
    async fn revoke(&self, device_id: DeviceId, at: DateTime<Utc>) -> Result<(), TestCaseError> {
        self.clock.set(at);
        let owner = &self.owners[&device_id];
        match self.services.revoke_device(&actor_of(owner), device_id).await {
            Ok(()) | Err(ServiceError::Conflict(_)) => Ok(()),
            Err(other) => Err(TestCaseError::fail(format!("revoking {device_id}: {other}"))),
        }
    }

    /// The owner logs in on the phone, which registers its own id again and gets a new
    /// key, as `POST /devices` does. The session is started directly: checking the
    /// password is the log-in tests' subject, and argon2 per step would dominate.
    /// It starts a millisecond after the simulator's moment: the calm-weather log-in can
    /// fall on the very moment of a revocation, and a revoked phone comes back only in
    /// a session started after it, which a person typing a password always is.
    async fn log_in(&mut self, device_id: DeviceId, at: DateTime<Utc>) -> Result<(), TestCaseError> {
        self.clock.set(at + Duration::milliseconds(1));
        let owner = self.owners[&device_id].clone();
        let session = real(self.services.start_session(owner).await, "session")?;
        let key = real(self.services.register_device(&session.token, "Model", Some(device_id)).await, "register")?;
        self.keys.insert(device_id, key.to_header_value());
        Ok(())
    }

    /// Each device's owner, as the ledger's senders name them.
    pub fn authors(&self) -> HashMap<DeviceId, UserId> {
        self.owners.iter().map(|(device, owner)| (*device, owner.id)).collect()
    }
}

fn officer(n: usize, sender: &Sender) -> User {
    User {
        id: sender.author_id,
        username: format!("agent.model{n}"),
        display_name: format!("Agent {n}"),
        role: Role::Officer,
        team_id: Some(sender.team_id),
        partner_org_id: sender.org_id,
    }
}

/// A store or service failure while setting up: the case fails saying what.
pub fn real<T, E: std::fmt::Display>(result: Result<T, E>, what: &str) -> Result<T, TestCaseError> {
    result.map_err(|e| TestCaseError::fail(format!("{what}: {e}")))
}

/// Which mutations were answered differently, with what they were.
fn differences(
    n: usize,
    batch: &PushBatch,
    ledger: &Result<Vec<Receipt>, BatchError>,
    store: &Result<Vec<Receipt>, BatchError>,
) -> String {
    let mut text = format!("push #{n} of device {} answered differently\n", batch.device_id);
    match (ledger, store) {
        (Ok(ledger), Ok(store)) if ledger.len() == store.len() => {
            for ((m, l), s) in batch.mutations.iter().zip(ledger).zip(store).filter(|((_, l), s)| l != s) {
                let _ = writeln!(text, "  seq {} {:?}\n    ledger: {:?}\n    store:  {:?}", m.seq, m.body, l, s);
            }
        }
        _ => {
            let _ = writeln!(text, "  ledger: {ledger:?}\n  store:  {store:?}");
        }
    }
    text
}
