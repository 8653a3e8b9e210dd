//! The generators of simulated runs ([`super::sim`]): what people save on their phones
//! and what the network does with their pushes. Shared by the domain's properties (the
//! ledger alone) and the service's (the real stores against the ledger).

use proptest::prelude::*;

use super::scenario::Entry;
use super::sim::{Fault, Step};

/// One entry a person saves; mostly valid, some refused, some edits racing others.
pub fn entry() -> impl Strategy<Value = Entry> {
    let valid = || prop::bool::weighted(0.85);
    prop_oneof![
        4 => valid().prop_map(|valid| Entry::Contact { valid }),
        3 => valid().prop_map(|valid| Entry::Signal { valid }),
        2 => (0..8usize, valid()).prop_map(|(pick, valid)| Entry::EditOwn { pick, valid }),
        2 => (0..8usize, prop::bool::weighted(0.3), valid())
            .prop_map(|(pick, stale, valid)| Entry::EditShared { pick, stale, valid }),
    ]
}

/// What the network (or the person) does in one step; a plain delivery most often.
pub fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        6 => Just(Fault::Deliver),
        2 => Just(Fault::Shuffle),
        2 => Just(Fault::DropRequest),
        2 => Just(Fault::LoseResponse),
        2 => (0..20usize).prop_map(|keep| Fault::Truncate { keep }),
        3 => (1..12usize, any::<bool>()).prop_map(|(cuts, answer)| Fault::Split { cuts, answer }),
        1 => Just(Fault::Duplicate),
        1 => Just(Fault::Echo),
        1 => Just(Fault::ServerError),
        1 => Just(Fault::Revoked),
        2 => Just(Fault::LogIn),
        1 => any::<bool>().prop_map(|reached| Fault::Restart { reached }),
        3 => (0..64usize, 0..30usize).prop_map(|(pick, keep)| Fault::Replay { pick, keep }),
    ]
}

pub fn step() -> impl Strategy<Value = Step> {
    (0..3usize, 0..4usize, 1..16usize, fault(), any::<u64>()).prop_map(|(phone, capture, max, fault, salt)| Step {
        phone,
        capture,
        max,
        fault,
        salt,
    })
}
