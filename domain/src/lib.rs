//! Wijkpost's domain: what a neighbourhood, a team, a user, a street contact and a
//! neighbourhood signal are, and the rules a new one must satisfy before it is stored.
//!
//! Plain Rust: compiled into the server and into the browser bundle alike, so the
//! phone and the server check an entry by the very same rules.

pub mod area;
pub mod booking_code;
pub mod capabilities;
pub mod clock;
#[macro_use]
pub mod codes;
pub mod contact;
pub mod homes;
pub mod ids;
pub mod membership;
#[cfg(feature = "offices")]
pub mod office_hours;
pub mod org;
pub mod patrol;
pub mod patterns;
pub mod photo;
pub mod place;
pub mod policy;
pub mod review;
pub mod signal;
pub mod sync;
pub mod validation;
pub mod workflow;

pub use area::Street;
pub use capabilities::{capabilities, Capabilities};
pub use clock::{Clock, ManualClock, SystemClock};
pub use codes::{
    ContactKind, ContactOutcome, ContactReason, Mobility, PartnerKind, Role, SignalCategory, SignalStatus, Urgency,
};
pub use contact::{Authorship, CheckedContact, ContactDraft, StreetContact};
pub use ids::{DeviceId, DistrictId, NeighbourhoodId, OrgId, PhotoId, RecordId, StreetId, TeamId, UserId};
pub use membership::{Membership, Needs};
pub use org::{check_boundary, BoundaryError, District, Neighbourhood, PartnerOrganisation, Team, User};
pub use photo::PhotoRef;
pub use place::{GeoPoint, Location};
pub use signal::{check_link, CheckedSignal, NeighbourhoodSignal, SignalDraft};
pub use validation::{FieldError, Problem, ValidationErrors};
