//! What a phone and the server say to each other when syncing: a push of mutations and
//! one receipt per mutation. Versioned, because phones run old app versions for weeks.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::SignalStatus;
use crate::contact::ContactDraft;
use crate::ids::{DeviceId, RecordId};
use crate::signal::SignalDraft;
use crate::validation::ValidationErrors;

/// Bumped when a change would make an old phone or an old server misread the other.
pub const PROTOCOL_VERSION: u32 = 1;

/// A push holds at most this many mutations: one transaction stays short, and a
/// phone with 10,000 queued entries still makes steady progress batch by batch.
pub const MAX_BATCH_MUTATIONS: usize = 500;

/// Feedback to a partner is a sentence or two, like a contact's note.
pub const FEEDBACK_MAX_CHARS: usize = 1000;

/// The largest `seq` and version the server can store (both stores keep them as a
/// signed 64-bit `BIGINT`). A phone counting from 1 never gets near it; a mutation
/// above it can never be stored, so it is answered `rejected` on its own, never by
/// failing the neighbours in its batch.
pub const MAX_STORED_NUMBER: u64 = i64::MAX as u64;

/// One change made on a phone, possibly hours before it reaches the server.
///
/// `id` is generated on the phone (UUIDv7) and is the key that makes a replay harmless;
/// for a create it is also the new record's id, so the phone can refer to the record
/// (e.g. edit it) before the server has seen it. `seq` counts the device's mutations
/// from 1 without gaps, so the server can tell "not yet arrived" from "never existed".
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    pub id: Uuid,
    pub device_id: DeviceId,
    pub seq: u64,
    /// The phone's clock when the person saved the entry; a create without its own
    /// `occurred_at` took place then, not when the network came back.
    pub created_at: DateTime<Utc>,
    pub body: MutationBody,
}

/// A mutation is its own: what [`decision_order`](super::rules::decision_order) and
/// [`batch_twins`](super::rules::batch_twins) read from a batch's mutations, or from
/// anything else that holds them.
impl AsRef<Mutation> for Mutation {
    fn as_ref(&self) -> &Mutation {
        self
    }
}

/// What a mutation does. Edits never rewrite an unsent create: they are mutations of
/// their own, based on a version, so "same id, different content" cannot happen.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// `op`, not `kind`: a contact draft has a field `kind` of its own.
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MutationBody {
    CreateContact(ContactDraft),
    CreateSignal(SignalDraft),
    EditSignal {
        signal_id: RecordId,
        /// The signal's version as the phone last received it from the server (1 for a
        /// signal it created itself and has not heard back about); never a version the
        /// phone predicts from its own unsent edits: the server accepts those as the
        /// device's own chain, and a guess could hide someone else's change.
        base_version: u64,
        /// Absent: unchanged.
        #[serde(default)]
        status: Option<SignalStatus>,
        /// Absent: unchanged. Blank: the feedback is withdrawn.
        #[serde(default)]
        feedback: Option<String>,
    },
}

impl MutationBody {
    /// Edits depend on what came before them; creates depend on nothing.
    pub fn is_edit(&self) -> bool {
        matches!(self, MutationBody::EditSignal { .. })
    }
}

/// A phone's push: its queued mutations, oldest first (the server sorts anyway).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushBatch {
    pub protocol: u32,
    pub device_id: DeviceId,
    pub mutations: Vec<Mutation>,
}

/// The server's answer for one mutation. Final receipts (all but `Deferred`) are
/// stored with the mutation id and returned unchanged for every replay.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub mutation_id: Uuid,
    pub seq: u64,
    pub outcome: Outcome,
}

/// What became of a mutation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored; `version` is the record's version after this mutation (1 for a create).
    Applied { record_id: RecordId, version: u64 },
    /// The entry breaks a rule. Final: resending the same mutation cannot help, so the
    /// phone shows it as "needs attention" with these reasons and keeps it.
    Rejected {
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        errors: ValidationErrors,
    },
    /// An edit based on a version someone else has since changed. Final: kept on the
    /// server for a team lead to resolve, never applied over the newer version.
    Conflict { record_id: RecordId, current_version: u64 },
    /// Not decided yet: an earlier mutation of the same device has not arrived, and this
    /// one may depend on it. Nothing was stored; the phone sends it again, oldest first.
    Deferred,
}

impl Outcome {
    /// True for every outcome that is stored and answered unchanged from then on.
    pub fn is_final(&self) -> bool {
        !matches!(self, Outcome::Deferred)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Problem;

    fn mutation(body: MutationBody) -> Mutation {
        Mutation {
            id: Uuid::now_v7(),
            device_id: DeviceId::new_v7(),
            seq: 1,
            created_at: DateTime::from_timestamp(1_750_000_000, 0).unwrap(),
            body,
        }
    }

    #[test]
    fn bodies_are_tagged_by_op_and_keep_the_drafts_own_kind() {
        let draft = ContactDraft { kind: "conversation".into(), ..ContactDraft::default() };
        let json = serde_json::to_value(mutation(MutationBody::CreateContact(draft))).unwrap();
        assert_eq!(json["body"]["op"], "create_contact");
        assert_eq!(json["body"]["kind"], "conversation");
        let edit = MutationBody::EditSignal {
            signal_id: RecordId::from_uuid(Uuid::nil()),
            base_version: 3,
            status: Some(SignalStatus::InProgress),
            feedback: None,
        };
        let json = serde_json::to_value(&edit).unwrap();
        assert_eq!(json["op"], "edit_signal");
        assert_eq!(json["status"], "in_progress");
    }

    #[test]
    fn mutations_and_receipts_round_trip_through_json() {
        let signal = SignalDraft { description: "Lamp out".into(), lat: Some(51.2), ..SignalDraft::default() };
        let m = mutation(MutationBody::CreateSignal(signal));
        let batch = PushBatch { protocol: PROTOCOL_VERSION, device_id: m.device_id, mutations: vec![m] };
        let back: PushBatch = serde_json::from_str(&serde_json::to_string(&batch).unwrap()).unwrap();
        assert_eq!(back, batch);

        let mut errors = ValidationErrors::default();
        errors.push("kind", Problem::UnknownCode);
        for outcome in [
            Outcome::Applied { record_id: RecordId::from_uuid(Uuid::nil()), version: 1 },
            Outcome::Rejected { errors },
            Outcome::Conflict { record_id: RecordId::from_uuid(Uuid::nil()), current_version: 4 },
            Outcome::Deferred,
        ] {
            let receipt = Receipt { mutation_id: Uuid::nil(), seq: 7, outcome };
            let json = serde_json::to_string(&receipt).unwrap();
            assert_eq!(serde_json::from_str::<Receipt>(&json).unwrap(), receipt, "{json}");
        }
    }

    #[test]
    fn outcomes_are_tagged_in_snake_case() {
        let json =
            serde_json::to_value(Outcome::Conflict { record_id: RecordId::from_uuid(Uuid::nil()), current_version: 2 })
                .unwrap();
        assert_eq!(json["outcome"], "conflict");
        assert_eq!(json["current_version"], 2);
        assert_eq!(serde_json::to_value(Outcome::Deferred).unwrap()["outcome"], "deferred");
        assert!(!Outcome::Deferred.is_final());
    }

    #[test]
    fn an_edit_may_leave_fields_out() {
        let json = r#"{"op":"edit_signal","signal_id":"00000000-0000-0000-0000-000000000000","base_version":2}"#;
        let body: MutationBody = serde_json::from_str(json).unwrap();
        assert!(matches!(body, MutationBody::EditSignal { status: None, feedback: None, .. }));
        assert!(body.is_edit());
    }
}
