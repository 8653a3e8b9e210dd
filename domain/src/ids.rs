//! Typed ids: a team's id where an organisation's belongs does not compile. Each is a
//! UUID underneath, and says so on the wire (serialised as the plain UUID string), so
//! the JSON API, the phone's stored entries and the stores read exactly as before.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Declares one typed id. Written as a macro rather than a generic `Id<T>`: each id is
/// its own name in the OpenAPI document and in error messages, and needs no marker type.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // PostgreSQL binds and reads it as its UUID; SQLite keeps ids as text, written
        // by the store's own `id()`.
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// The id a UUID stands for, e.g. one read from the store.
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// A new id, ordered by the time it was made (UUID v7), like every id
            /// Wijkpost hands out.
            pub fn new_v7() -> Self {
                Self(Uuid::now_v7())
            }

            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(raw).map(Self)
            }
        }
    };
}

typed_id!(
    /// A person who can log in.
    UserId
);
typed_id!(
    /// A neighbourhood team.
    TeamId
);
typed_id!(
    /// A partner organisation or city service.
    OrgId
);
typed_id!(
    /// One of the city's districts.
    DistrictId
);
typed_id!(
    /// A neighbourhood (*wijk*).
    NeighbourhoodId
);
typed_id!(
    /// A street the app knows (for "nearest street"; house numbers hang off it).
    StreetId
);
typed_id!(
    /// A registered phone.
    DeviceId
);
typed_id!(
    /// A street contact or a neighbourhood signal: the id the phone gave the entry
    /// (its mutation's id), kept by the record it became.
    RecordId
);
typed_id!(
    /// A signal's photo, named by the phone before it is uploaded.
    PhotoId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_and_writes_as_its_plain_uuid() {
        let raw = Uuid::now_v7();
        let team = TeamId::from_uuid(raw);
        assert_eq!(serde_json::to_string(&team).unwrap(), format!("\"{raw}\""));
        assert_eq!(serde_json::from_str::<TeamId>(&format!("\"{raw}\"")).unwrap(), team);
        assert_eq!(team.to_string().parse::<TeamId>().unwrap(), team);
        assert!("not-an-id".parse::<TeamId>().is_err());
    }
}
