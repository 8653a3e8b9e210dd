//! What people save on their phones during a simulated run, and what each entry must
//! become on the server whatever the network does to it.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use super::protocol::{Mutation, MutationBody, FEEDBACK_MAX_CHARS};
use super::sim::World;
use crate::codes::SignalStatus;
use crate::contact::ContactDraft;
use crate::ids::RecordId;
use crate::signal::SignalDraft;
use crate::validation::Problem;

/// Something a person saves on a phone.
#[derive(Debug, Clone)]
pub enum Entry {
    Contact {
        valid: bool,
    },
    Signal {
        valid: bool,
    },
    /// An edit of a signal this phone created earlier (even one the server will refuse).
    EditOwn {
        pick: usize,
        valid: bool,
    },
    /// An edit of a signal that existed before the run; `stale` edits start from a
    /// version older than the one the office already wrote.
    EditShared {
        pick: usize,
        stale: bool,
        valid: bool,
    },
}

/// What an entry must become, whatever the network did.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Applied,
    Rejected {
        field: &'static str,
        problem: Problem,
    },
    Conflict,
    /// Fresh edits of one shared signal from several phones race: one of the two.
    AppliedOrConflict,
}

/// A saved entry and what it must become.
#[derive(Debug, Clone)]
pub struct Captured {
    pub phone: usize,
    pub mutation: Mutation,
    pub expect: Expect,
}

/// A signal the office created (and edited) before the run; phones pulled it.
#[derive(Debug, Clone, Copy)]
pub struct Shared {
    pub id: RecordId,
    pub version: u64,
}

/// The neighbourhood every entry is made in: the senders' team's (see `sim::sender`).
pub fn neighbourhood_id() -> crate::ids::NeighbourhoodId {
    crate::ids::NeighbourhoodId::from_uuid(Uuid::from_u128(700))
}

pub(super) fn valid_contact() -> ContactDraft {
    ContactDraft {
        neighbourhood_id: neighbourhood_id().to_string(),
        mobility: "bike".into(),
        kind: "check".into(),
        reason: "prevention".into(),
        outcome: "no_action_needed".into(),
        ..ContactDraft::default()
    }
}

pub(super) fn valid_signal() -> SignalDraft {
    SignalDraft {
        neighbourhood_id: neighbourhood_id().to_string(),
        category: "lighting".into(),
        urgency: "low".into(),
        description: "Street lamp flickers".into(),
        ..SignalDraft::default()
    }
}

pub(super) const STATUSES: [SignalStatus; 4] =
    [SignalStatus::Open, SignalStatus::InProgress, SignalStatus::Referred, SignalStatus::Resolved];

impl World {
    pub fn capture_next(&mut self, count: usize) {
        for _ in 0..count {
            let Some((phone, entry)) = self.to_capture.pop_front() else { return };
            let (body, expect) = self.body_for(phone, entry);
            let id = self.fresh_id();
            let mutation = self.phones[phone].enqueue(body, id, self.now);
            if let MutationBody::CreateSignal(_) = &mutation.body {
                self.own_signals[phone].push((RecordId::from_uuid(id), expect == Expect::Applied));
            }
            self.captured.push(Captured { phone, mutation, expect });
        }
    }

    fn body_for(&self, phone: usize, entry: Entry) -> (MutationBody, Expect) {
        let feedback = |valid: bool| {
            let text = if valid {
                format!("seen by phone {phone}, entry {}", self.captured.len())
            } else {
                "x".repeat(FEEDBACK_MAX_CHARS + 1)
            };
            Some(text)
        };
        let too_long = Expect::Rejected { field: "feedback", problem: Problem::TooLong { max: FEEDBACK_MAX_CHARS } };
        match entry {
            Entry::Contact { valid: true } => (MutationBody::CreateContact(valid_contact()), Expect::Applied),
            Entry::Contact { valid: false } => (
                MutationBody::CreateContact(ContactDraft { kind: "arrest".into(), ..valid_contact() }),
                Expect::Rejected { field: "kind", problem: Problem::UnknownCode },
            ),
            Entry::Signal { valid: true } => (MutationBody::CreateSignal(valid_signal()), Expect::Applied),
            Entry::Signal { valid: false } => (
                MutationBody::CreateSignal(SignalDraft { description: " ".into(), ..valid_signal() }),
                Expect::Rejected { field: "description", problem: Problem::Required },
            ),
            Entry::EditOwn { pick, valid } => {
                // One of the last three: an edit soon after its create is the case where
                // the two can arrive in the wrong order.
                let own = &self.own_signals[phone];
                let back = pick % own.len().clamp(1, 3);
                let Some(&(signal_id, exists)) = own.len().checked_sub(1 + back).and_then(|i| own.get(i)) else {
                    return self.body_for(phone, Entry::Signal { valid: true });
                };
                let expect = match (valid, exists) {
                    (false, _) => too_long,
                    (true, false) => Expect::Rejected { field: "signal_id", problem: Problem::UnknownCode },
                    (true, true) => Expect::Applied,
                };
                (edit_body(signal_id, 1, STATUSES[pick % 4], feedback(valid)), expect)
            }
            Entry::EditShared { pick, stale, valid } => {
                let shared = self.shared[pick % self.shared.len()];
                let base = if stale { shared.version - 1 } else { shared.version };
                let expect = match (valid, stale) {
                    (false, _) => too_long,
                    (true, true) => Expect::Conflict,
                    (true, false) => Expect::AppliedOrConflict,
                };
                (edit_body(shared.id, base, STATUSES[pick % 4], feedback(valid)), expect)
            }
        }
    }

    /// Fresh edits of a shared signal cannot conflict when only one phone makes them.
    pub fn settle_expectations(&mut self) {
        let mut editors: BTreeMap<RecordId, BTreeSet<usize>> = BTreeMap::new();
        for c in self.captured.iter().filter(|c| c.expect == Expect::AppliedOrConflict) {
            editors.entry(edited_signal(&c.mutation)).or_default().insert(c.phone);
        }
        for c in &mut self.captured {
            if c.expect == Expect::AppliedOrConflict && editors[&edited_signal(&c.mutation)].len() == 1 {
                c.expect = Expect::Applied;
            }
        }
    }
}

pub(super) fn edit_body(
    signal_id: RecordId,
    base_version: u64,
    status: SignalStatus,
    feedback: Option<String>,
) -> MutationBody {
    MutationBody::EditSignal { signal_id, base_version, status: Some(status), feedback }
}

pub(super) fn edited_signal(mutation: &Mutation) -> RecordId {
    match &mutation.body {
        MutationBody::EditSignal { signal_id, .. } => *signal_id,
        _ => RecordId::from_uuid(Uuid::nil()),
    }
}
