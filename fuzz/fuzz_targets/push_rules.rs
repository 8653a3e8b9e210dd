//! Sequences of pushes, replays, revocations and log-ins of two phones against the
//! reference ledger, built from the input with few ids and seqs so that duplicates,
//! gaps, reused numbers, edits of unknown or changed signals and conflicts are common.
//!
//! Properties, after every push: those of `apply_checked` and `check_ledger` (one
//! receipt per mutation, stored answers as answered, a replay answers the same and
//! changes nothing, no mutation decided twice, `settled_through` is the gap-free
//! prefix, one writer per signal version, a conflict only when another device wrote
//! since its base). For phones that behave (every mutation id new, `honest` below): a
//! mutation's first final answer is its answer for ever, whatever came in between.
#![no_main]

use std::collections::HashMap;

use arbitrary::{Result, Unstructured};
use chrono::{DateTime, Duration, Utc};
use domain::codes::{ContactKind, ContactOutcome, ContactReason, Mobility, SignalCategory, SignalStatus, Urgency};
use domain::sync::{Ledger, Mutation, MutationBody, PushBatch, Receipt, Sender, MAX_STORED_NUMBER, PROTOCOL_VERSION};
use domain::{ContactDraft, SignalDraft};
use domain::{DeviceId, NeighbourhoodId, RecordId, TeamId, UserId};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;
use wijkpost_fuzz::ledger_checks::{apply_checked, check_ledger};

const DEVICES: [DeviceId; 2] = [DeviceId::from_uuid(Uuid::from_u128(0xD1)), DeviceId::from_uuid(Uuid::from_u128(0xD2))];

struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    now: DateTime<Utc>,
    /// Every mutation gets a fresh id, as a phone's UUIDv7 does.
    honest: bool,
    next_id: u128,
    /// The records of the creates made so far (each takes its mutation's id): what an
    /// edit most likely names.
    created: Vec<RecordId>,
}

impl Gen<'_, '_> {
    /// One of a few ids, so that ids meet (a mutation's, a photo's, a signal's, a neighbourhood's), typed as asked.
    fn small_id<T: From<Uuid>>(&mut self) -> Result<T> {
        Ok(T::from(Uuid::from_u128(u128::from(self.u.int_in_range(1u8..=6)?))))
    }

    fn mutation_id(&mut self) -> Result<Uuid> {
        if self.honest {
            self.next_id += 1;
            return Ok(Uuid::from_u128(0x1000 + self.next_id));
        }
        self.small_id()
    }

    fn seq(&mut self) -> Result<u64> {
        Ok(match self.u.int_in_range(0u8..=20)? {
            0 => 0,
            1 => MAX_STORED_NUMBER,
            2 => MAX_STORED_NUMBER + 1,
            3 => u64::MAX,
            n => u64::from(n - 3).min(9),
        })
    }

    fn code<T: Copy>(&mut self, all: impl Iterator<Item = T>, code: fn(T) -> &'static str) -> Result<String> {
        let all: Vec<T> = all.collect();
        Ok(match self.u.int_in_range(0u8..=9)? {
            0 => String::new(),
            1 => self.u.arbitrary()?,
            _ => code(*self.u.choose(&all)?).to_owned(),
        })
    }

    fn neighbourhood(&mut self) -> Result<String> {
        Ok(match self.u.int_in_range(0u8..=7)? {
            0 => self.u.arbitrary()?,
            1 => String::new(),
            _ => self.small_id::<NeighbourhoodId>()?.to_string(),
        })
    }

    fn moment(&mut self) -> Result<Option<DateTime<Utc>>> {
        Ok(match self.u.int_in_range(0u8..=3)? {
            0 => None,
            // From a little ahead (clock skew, or too far) to months back.
            _ => Some(self.now + Duration::minutes(i64::from(self.u.int_in_range(-100_000i32..=20)?))),
        })
    }

    fn point(&mut self) -> Result<(Option<f64>, Option<f64>, Option<f64>)> {
        Ok(match self.u.int_in_range(0u8..=3)? {
            0 => (None, None, None),
            1 => (Some(51.2), Some(4.4), Some(f64::from(self.u.int_in_range(0u16..=20_000)?))),
            _ => (self.number()?, self.number()?, self.number()?),
        })
    }

    /// Any number JSON can carry: a push is JSON, which has no NaN or infinity (and a
    /// NaN would make a resent mutation differ from itself).
    fn number(&mut self) -> Result<Option<f64>> {
        Ok(self.u.arbitrary::<Option<f64>>()?.filter(|x| x.is_finite()))
    }

    fn body(&mut self) -> Result<MutationBody> {
        Ok(match self.u.int_in_range(0u8..=2)? {
            0 => {
                let (lat, lon, accuracy_m) = self.point()?;
                MutationBody::CreateContact(ContactDraft {
                    neighbourhood_id: self.neighbourhood()?,
                    occurred_at: self.moment()?,
                    mobility: self.code(Mobility::all(), Mobility::code)?,
                    kind: self.code(ContactKind::all(), ContactKind::code)?,
                    reason: self.code(ContactReason::all(), ContactReason::code)?,
                    outcome: self.code(ContactOutcome::all(), ContactOutcome::code)?,
                    lat,
                    lon,
                    accuracy_m,
                    street: self.u.arbitrary()?,
                    note: self.u.arbitrary()?,
                })
            }
            1 => {
                let (lat, lon, accuracy_m) = self.point()?;
                let photo_id = if self.u.ratio(1u8, 3)? { Some(self.small_id()?) } else { None };
                MutationBody::CreateSignal(SignalDraft {
                    neighbourhood_id: self.neighbourhood()?,
                    occurred_at: self.moment()?,
                    category: self.code(SignalCategory::all(), SignalCategory::code)?,
                    urgency: self.code(Urgency::all(), Urgency::code)?,
                    description: if self.u.ratio(1u8, 8)? { String::new() } else { "Lamp out".into() },
                    lat,
                    lon,
                    accuracy_m,
                    street: None,
                    photo_id,
                    duplicate_of: None,
                })
            }
            _ => {
                let signal_id = match self.created.is_empty() || self.u.ratio(1u8, 5)? {
                    true => self.small_id()?,
                    false => *self.u.choose(&self.created)?,
                };
                let base_version = match self.u.int_in_range(0u8..=9)? {
                    0 => MAX_STORED_NUMBER + 1,
                    n => u64::from(n - 1),
                };
                let status = if self.u.ratio(2u8, 3)? {
                    Some(*self.u.choose(&SignalStatus::all().collect::<Vec<_>>())?)
                } else {
                    None
                };
                let feedback = match self.u.int_in_range(0u8..=3)? {
                    0 => Some(self.u.arbitrary::<String>()?),
                    1 => Some("Gemeld bij de stad".into()),
                    _ => None,
                };
                MutationBody::EditSignal { signal_id, base_version, status, feedback }
            }
        })
    }

    fn batch(&mut self, device_id: DeviceId) -> Result<PushBatch> {
        let count = self.u.int_in_range(0u8..=6)?;
        let mut mutations = Vec::new();
        for _ in 0..count {
            let id = self.mutation_id()?;
            let body = self.body()?;
            if !body.is_edit() {
                self.created.push(RecordId::from_uuid(id));
            }
            let created_at = self.now - Duration::minutes(i64::from(self.u.int_in_range(0u16..=600)?));
            mutations.push(Mutation { id, device_id, seq: self.seq()?, created_at, body });
        }
        // A phone resends what it did not hear back about: sometimes a mutation twice.
        if !mutations.is_empty() && self.u.ratio(1u8, 6)? {
            let again = mutations[self.u.choose_index(mutations.len())?].clone();
            mutations.push(again);
        }
        Ok(PushBatch { protocol: PROTOCOL_VERSION, device_id, mutations })
    }
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let now = DateTime::from_timestamp(1_780_000_000, 0).expect("a fixed moment");
    let honest = u.arbitrary()?;
    // `FUZZ_TRACE=1 cargo fuzz run … push_rules <input>` prints every step of a crash.
    let trace = std::env::var_os("FUZZ_TRACE").is_some();
    let mut gen = Gen { u, now, honest, next_id: 0, created: Vec::new() };
    let mut ledger = Ledger::new();
    let senders = [0xA1u128, 0xA2].map(|a| Sender {
        author_id: UserId::from_uuid(Uuid::from_u128(a)),
        team_id: TeamId::from_uuid(Uuid::from_u128(0x7)),
        org_id: None,
    });
    for (device, sender) in DEVICES.iter().zip(senders) {
        ledger.register_device(*device, sender);
    }
    let mut sent: Vec<PushBatch> = Vec::new();
    let mut final_answers: HashMap<Uuid, Receipt> = HashMap::new();
    for step in 0..16 {
        if gen.u.is_empty() && step > 0 {
            break;
        }
        let device = gen.u.choose_index(DEVICES.len())?;
        let batch = match gen.u.int_in_range(0u8..=9)? {
            0..=5 => gen.batch(DEVICES[device])?,
            6 | 7 if !sent.is_empty() => {
                // A replay of an earlier push, whole or in part.
                let earlier = sent[gen.u.choose_index(sent.len())?].clone();
                let mut part = earlier.clone();
                part.mutations.retain(|_| gen.u.ratio(3u8, 4).unwrap_or(true));
                part
            }
            8 => {
                ledger.revoke_device(DEVICES[device]);
                continue;
            }
            _ => {
                ledger.register_device(DEVICES[device], senders[device]);
                continue;
            }
        };
        let answer = apply_checked(&mut ledger, &batch, now);
        if trace {
            eprintln!("step {step}: {batch:#?}\n  → {answer:#?}");
        }
        let Ok(receipts) = answer else { continue };
        check_ledger(&ledger, &DEVICES);
        if honest {
            for (m, r) in batch.mutations.iter().zip(&receipts) {
                if let Some(first) = final_answers.get(&m.id) {
                    assert_eq!(r, first, "a final answer changed for {m:?}");
                } else if r.outcome.is_final() {
                    final_answers.insert(m.id, r.clone());
                }
            }
        }
        sent.push(batch);
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
