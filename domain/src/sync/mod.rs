//! The sync core: how entries made on a phone without signal reach the server exactly
//! once. Plain Rust without I/O or clocks (times are passed in), compiled into the
//! server and the browser bundle alike.
//!
//! # The protocol in one paragraph
//! The phone saves every entry first in its [`Outbox`] as a [`Mutation`]: a UUIDv7 made
//! on the phone, the device id, a per-device `seq` counting from 1 without gaps, the
//! time of saving and a body (create a contact, create a signal, edit a signal from a
//! base version). It pushes them oldest first, one [`PushBatch`] at a time, on app
//! start, on `online`, after each new entry and on a back-off timer. The server handles
//! a batch in one transaction and answers one [`Receipt`] per mutation; every final
//! receipt is stored under the mutation id together with the mutation's effect, so a
//! replay of any batch, whole or in part, changes nothing and gets the same answers.
//! `Applied` settles the entry; `Rejected` (its rules broken) and `Conflict` (an edit of
//! a signal someone else changed since) are final too and shown to a person; only
//! `Deferred`, a missing receipt and a failed push make the phone send an entry again.
//!
//! # Rules the stores must honour (the [`Ledger`] is their reference model)
//! - One transaction per batch holds the effects and the stored receipts; a batch that
//!   fails stores nothing. Mutations are decided in `seq` order, answered in batch order.
//! - The dedupe key is the mutation id, scoped to the device that first sent it; a
//!   device's `seq` is unique too (see [`rules::admit`] for the full order of checks).
//!   One id twice in one batch with different contents: the second is rejected, never
//!   silently answered with the first's receipt.
//! - A create whose id (or photo id) some record already holds is rejected on its own,
//!   with the same answer whoever holds it.
//! - Creates are decided as they arrive, even after a gap; an edit waits (`Deferred`,
//!   not stored) until every lower `seq` of its device is decided.
//! - A created record's id is the mutation id; a create without its own time happened
//!   when the phone saved it ([`Mutation::created_at`]).
//! - Every signal version records the device that wrote it: an edit applies when no
//!   other device (or web user) wrote a version after its base, else it is kept as a
//!   conflict. An edit of a signal the server does not hold is rejected.

pub mod backoff;
pub mod conflicts;
pub mod ledger;
pub mod outbox;
pub mod protocol;
pub mod pull;
pub mod rules;

pub use backoff::{retry_ceiling, retry_delay, SyncTrigger, MAX_RETRY};
pub use ledger::{KeptConflict, Ledger, Sender, SignalRecord};
pub use outbox::{Attention, FailureKind, ItemState, Outbox, OutboxItem};
pub use protocol::{
    Mutation, MutationBody, Outcome, PushBatch, Receipt, FEEDBACK_MAX_CHARS, MAX_BATCH_MUTATIONS, MAX_STORED_NUMBER,
    PROTOCOL_VERSION,
};
pub use pull::{Change, ChangeState, PullPage, Tombstone};
pub use rules::BatchError;

// The simulator of phones and a hostile network, with its generators: for the domain's
// own property tests, and (feature `testing`) for the service's, which replay the same
// runs against the real stores and compare them with the ledger.
#[cfg(test)]
mod properties;
#[cfg(any(test, feature = "testing"))]
pub mod scenario;
#[cfg(any(test, feature = "testing"))]
pub mod sim;
#[cfg(any(test, feature = "testing"))]
pub mod strategies;
