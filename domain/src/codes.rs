//! The short code lists of Wijkpost. Each code is stored and sent as its snake_case
//! text, so the database and the sync protocol stay readable and stable when a code
//! is added; the UI translates codes, it never shows them raw.

use serde::{Deserialize, Serialize};
use strum::{AsRefStr, EnumIter, EnumString, IntoStaticStr};

macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize,
            AsRefStr, EnumString, EnumIter, IntoStaticStr,
        )]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// The stable code stored in the database and sent over the wire.
            pub fn code(self) -> &'static str { self.into() }

            /// Every code, in the order the UI lists them.
            pub fn all() -> impl Iterator<Item = Self> { <Self as strum::IntoEnumIterator>::iter() }

            /// Parses a stored or submitted code; `None` for anything unknown.
            pub fn from_code(code: &str) -> Option<Self> { code.parse().ok() }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_list! {
    /// What a person does in Wijkpost; decides what they may see and do.
    Role { Officer, TeamLead, InterventionOfficer, Partner, CityService, Admin }
}

code_list! {
    /// The kind of organisation a partner or city-service account belongs to.
    PartnerKind {
        YouthWork, StreetWork, NeighbourhoodParents, MosqueStewards,
        NeighbourhoodCommittee, TradersAssociation, SocialServices, CityService,
    }
}

code_list! {
    /// How the officer was out when the contact happened (community policing is on foot or by bike).
    Mobility { OnFoot, Bike }
}

code_list! {
    /// What kind of street contact it was.
    ContactKind { Conversation, Question, Mediation, Assistance, Check }
}

code_list! {
    /// Why the contact happened.
    ContactReason {
        Acquaintance, Nuisance, SafetyConcern, NeighbourDispute, Youth, Traffic,
        Information, Prevention, Other,
    }
}

code_list! {
    /// How the contact ended.
    ContactOutcome {
        Informed, ResolvedOnTheSpot, ReferredToPartner, FollowUpByTeam, ReportDrawnUp, NoActionNeeded,
    }
}

code_list! {
    /// What a neighbourhood signal is about: a taxonomy for community policing,
    /// not for emergencies (those go to 101/112).
    SignalCategory {
        Nuisance, Noise, Vandalism, Lighting, Waste, TrafficSafety, Drugs, Youth,
        SocialIsolation, NeighbourDispute, UnsafePlace, Other,
    }
}

code_list! {
    /// How soon a signal needs attention.
    Urgency { Low, Normal, High }
}

code_list! {
    /// Where a signal stands.
    SignalStatus { Open, InProgress, Referred, Resolved }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_text() {
        for kind in SignalCategory::all() {
            assert_eq!(SignalCategory::from_code(kind.code()), Some(kind));
        }
        assert_eq!(ContactOutcome::ResolvedOnTheSpot.code(), "resolved_on_the_spot");
        assert_eq!(Role::from_code("team_lead"), Some(Role::TeamLead));
    }

    #[test]
    fn unknown_codes_are_refused() {
        assert_eq!(Role::from_code("superuser"), None);
        assert_eq!(Mobility::from_code(""), None);
        assert_eq!(Mobility::from_code("Bike"), None, "codes are case-sensitive snake_case");
    }

    #[test]
    fn serde_uses_the_same_codes() {
        let json = serde_json::to_string(&ContactKind::Mediation).unwrap();
        assert_eq!(json, "\"mediation\"");
    }
}
