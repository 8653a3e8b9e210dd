//! One key for every code of every code list, so each language labels them all.

use domain::{
    ContactKind, ContactOutcome, ContactReason, Mobility, PartnerKind, Role, SignalCategory, SignalStatus, Urgency,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Role(Role),
    Partner(PartnerKind),
    Mobility(Mobility),
    Kind(ContactKind),
    Reason(ContactReason),
    Outcome(ContactOutcome),
    Category(SignalCategory),
    Urgency(Urgency),
    Status(SignalStatus),
}

impl Label {
    /// Every label, for tests that check each language covers each code.
    pub fn all() -> impl Iterator<Item = Label> {
        Role::all()
            .map(Label::Role)
            .chain(PartnerKind::all().map(Label::Partner))
            .chain(Mobility::all().map(Label::Mobility))
            .chain(ContactKind::all().map(Label::Kind))
            .chain(ContactReason::all().map(Label::Reason))
            .chain(ContactOutcome::all().map(Label::Outcome))
            .chain(SignalCategory::all().map(Label::Category))
            .chain(Urgency::all().map(Label::Urgency))
            .chain(SignalStatus::all().map(Label::Status))
    }
}
