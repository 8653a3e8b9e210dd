//! Queued entries as the screens show them: what was logged, when, and where it stands.

use chrono::{DateTime, Utc};
use domain::sync::{Attention, ItemState, MutationBody, OutboxItem};
use domain::validation::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where one entry stands, in the words of the outbox screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EntryState {
    /// On the phone, waiting for the network.
    NotSent,
    /// Being sent right now.
    Sending,
    /// The server refused it; the reasons, per field.
    Refused(Vec<FieldError>),
    /// Someone else changed the signal first; a team lead decides.
    Conflict,
    /// The server has it.
    Sent,
}

impl EntryState {
    /// The state's name in the page (`data-state`), for styles and tests.
    pub fn code(&self) -> &'static str {
        match self {
            EntryState::NotSent => "notsent",
            EntryState::Sending => "sending",
            EntryState::Refused(_) => "refused",
            EntryState::Conflict => "conflict",
            EntryState::Sent => "sent",
        }
    }
}

/// One entry of the outbox, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedEntry {
    pub id: Uuid,
    pub saved_at: DateTime<Utc>,
    pub body: MutationBody,
    pub state: EntryState,
    /// The entry's photo has yet to be (fully) uploaded.
    pub photo_waiting: bool,
}

impl QueuedEntry {
    pub fn from_item(item: &OutboxItem, photo_waiting: bool) -> Self {
        let state = match &item.state {
            ItemState::Pending => EntryState::NotSent,
            ItemState::InFlight => EntryState::Sending,
            ItemState::Acknowledged(_) => EntryState::Sent,
            ItemState::NeedsAttention(Attention::Rejected { errors }) => EntryState::Refused(errors.errors.clone()),
            ItemState::NeedsAttention(Attention::Conflict { .. }) => EntryState::Conflict,
        };
        Self {
            id: item.mutation.id,
            saved_at: item.mutation.created_at,
            body: item.mutation.body.clone(),
            state,
            photo_waiting,
        }
    }

    /// What a list keys the entry by: its id and everything shown that can change, so
    /// a list redraws an entry whose state changed and leaves the others alone.
    pub fn list_key(&self) -> (Uuid, &'static str, bool) {
        (self.id, self.state.code(), self.photo_waiting)
    }

    pub fn is_contact(&self) -> bool {
        matches!(self.body, MutationBody::CreateContact(_))
    }

    pub fn is_signal(&self) -> bool {
        matches!(self.body, MutationBody::CreateSignal(_))
    }

    pub fn needs_attention(&self) -> bool {
        matches!(self.state, EntryState::Refused(_) | EntryState::Conflict)
    }
}
