//! Who may do what: the one place Wijkpost decides it. Every server function and API
//! handler asks [`decide`] before touching a record, so a rule changes here or nowhere.
//!
//! "Iedere partner houdt rekening met de specifieke rol van de andere": partners see
//! their own organisation's signals and never a police contact; a city service sees
//! what was referred to it; an admin runs accounts, not investigations.

use crate::ids::UserId;
use serde::{Deserialize, Serialize};

use crate::codes::Role;
use crate::ids::{OrgId, TeamId};
use crate::signal::NeighbourhoodSignal;

/// The person asking, as the session or device identifies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
    pub team_id: Option<TeamId>,
    /// The partner organisation or city service the account belongs to.
    pub org_id: Option<OrgId>,
    /// How the request proved who it is.
    pub via: Via,
}

/// How a request proved who is asking. A phone's device key is a long-lived secret
/// kept on a phone that can be lost: it may do what syncing needs and nothing more,
/// so a stolen key cannot mint keys, bring a revoked phone back or manage accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// A session started with the password.
    Session,
    /// A phone's device key (`Authorization: Device …`).
    DeviceKey,
}

impl Actor {
    /// The same person, asking through a phone's device key.
    pub fn through_device_key(self) -> Self {
        Self { via: Via::DeviceKey, ..self }
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    /// The record without fields that may hold personal data (codes, time, place, status).
    Read,
    /// The fields that may hold personal data: a contact's note, a signal's text and photo.
    /// Every such read is written to the access log.
    ReadPersonal,
    Update,
    /// Create, change or remove accounts, teams, organisations; revoke devices.
    Manage,
}

impl Action {
    pub const ALL: [Action; 5] = [Action::Create, Action::Read, Action::ReadPersonal, Action::Update, Action::Manage];
}

/// What the action is on, with the attributes the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// A street contact of a team (for `Create`: the team whose neighbourhood it is in).
    Contact {
        team_id: TeamId,
    },
    /// A neighbourhood signal of a team.
    Signal {
        team_id: TeamId,
        author_org_id: Option<OrgId>,
        referred_to_org_id: Option<OrgId>,
    },
    User {
        user_id: UserId,
        team_id: Option<TeamId>,
        org_id: Option<OrgId>,
    },
    Team {
        team_id: TeamId,
    },
    Organisation {
        org_id: OrgId,
    },
    /// A phone registered for offline use.
    Device {
        owner_id: UserId,
        owner_team_id: Option<TeamId>,
    },
    /// Who read the personal data of a team's records.
    TeamAccessLog {
        team_id: TeamId,
    },
    /// Who read an organisation's signals.
    OrganisationAccessLog {
        org_id: OrgId,
    },
    /// What a team's phones synced, and the offline edits kept as conflicts on its
    /// signals: reviewed (`Read`) and resolved (`Update`) by the team lead.
    TeamSync {
        team_id: TeamId,
    },
}

/// A signal as the policy sees it: its team, the organisation that filed it, and the
/// one it was referred to.
impl From<&NeighbourhoodSignal> for Resource {
    fn from(s: &NeighbourhoodSignal) -> Self {
        Resource::Signal {
            team_id: s.team_id,
            author_org_id: s.author_org_id,
            referred_to_org_id: s.referred_to_org_id,
        }
    }
}

/// The answer. `Hidden` is a refusal that must not even confirm the record exists
/// (answered as 404); `Forbidden` may say "not allowed" (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allow,
    Forbidden,
    Hidden,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }

    fn allow_if(condition: bool, otherwise: Decision) -> Decision {
        if condition {
            Decision::Allow
        } else {
            otherwise
        }
    }
}

/// May `actor` do `action` on `resource`?
pub fn decide(actor: &Actor, action: Action, resource: &Resource) -> Decision {
    use Decision::{Forbidden, Hidden};
    use Resource as R;

    if actor.via == Via::DeviceKey && !device_key_may(action, resource) {
        return Forbidden;
    }
    let own_team = |team_id: TeamId| actor.team_id == Some(team_id);
    let own_org = |org_id: Option<OrgId>| org_id.is_some() && org_id == actor.org_id;

    // Everyone may register, see and revoke their own phones (a lost phone is revoked at once).
    if let R::Device { owner_id, .. } = resource {
        if *owner_id == actor.user_id && matches!(action, Action::Create | Action::Read | Action::Manage) {
            return Decision::Allow;
        }
    }

    match (actor.role, resource) {
        // Police contacts exist for the police only: to anyone else they do not exist.
        (Role::Officer | Role::TeamLead, R::Contact { team_id }) => {
            Decision::allow_if(own_team(*team_id) && action != Action::Manage, Hidden)
        }
        (Role::InterventionOfficer, R::Contact { team_id }) => {
            // The briefing needs the pattern, not the notes.
            let otherwise = if own_team(*team_id) { Forbidden } else { Hidden };
            Decision::allow_if(own_team(*team_id) && action == Action::Read, otherwise)
        }
        (_, R::Contact { .. }) => Hidden,

        (Role::Officer | Role::TeamLead, R::Signal { team_id, .. }) => {
            Decision::allow_if(own_team(*team_id) && action != Action::Manage, Hidden)
        }
        (Role::InterventionOfficer, R::Signal { team_id, .. }) => Decision::allow_if(
            own_team(*team_id) && matches!(action, Action::Read | Action::ReadPersonal),
            if own_team(*team_id) { Forbidden } else { Hidden },
        ),
        (Role::Partner, R::Signal { author_org_id, referred_to_org_id, .. }) => match action {
            Action::Create => Decision::allow_if(own_org(*author_org_id), Forbidden),
            Action::Read => Decision::allow_if(own_org(*author_org_id) || own_org(*referred_to_org_id), Hidden),
            // A signal referred to a partner shows what and where, not the police's free
            // text: partners never read person-related fields of police records.
            Action::ReadPersonal => Decision::allow_if(
                own_org(*author_org_id),
                if own_org(*referred_to_org_id) { Forbidden } else { Hidden },
            ),
            Action::Update | Action::Manage => {
                Decision::allow_if(false, if own_org(*author_org_id) { Forbidden } else { Hidden })
            }
        },
        (Role::CityService, R::Signal { referred_to_org_id, .. }) => {
            let referred = own_org(*referred_to_org_id);
            match action {
                Action::Read | Action::ReadPersonal | Action::Update => Decision::allow_if(referred, Hidden),
                Action::Create => Forbidden,
                Action::Manage => Decision::allow_if(false, if referred { Forbidden } else { Hidden }),
            }
        }
        (Role::Admin, R::Signal { .. }) => Forbidden,

        (Role::Admin, R::User { .. } | R::Team { .. } | R::Organisation { .. } | R::Device { .. }) => {
            Decision::allow_if(action != Action::ReadPersonal, Forbidden)
        }
        (Role::Admin, R::TeamAccessLog { .. } | R::OrganisationAccessLog { .. }) => {
            Decision::allow_if(action == Action::Read, Forbidden)
        }

        (Role::TeamLead, R::User { team_id, .. }) => Decision::allow_if(
            team_id.is_some_and(own_team) && matches!(action, Action::Read | Action::Update | Action::Manage),
            Forbidden,
        ),
        (Role::TeamLead, R::Team { team_id }) => Decision::allow_if(
            own_team(*team_id) && matches!(action, Action::Read | Action::Update | Action::Manage),
            Forbidden,
        ),
        (Role::TeamLead, R::Device { owner_team_id, .. }) => Decision::allow_if(
            owner_team_id.is_some_and(own_team) && matches!(action, Action::Read | Action::Manage),
            Forbidden,
        ),
        (Role::TeamLead, R::TeamAccessLog { team_id }) => {
            Decision::allow_if(own_team(*team_id) && action == Action::Read, Forbidden)
        }

        (Role::Officer | Role::InterventionOfficer, R::User { user_id, team_id, .. }) => Decision::allow_if(
            (*user_id == actor.user_id || team_id.is_some_and(own_team)) && action == Action::Read,
            Forbidden,
        ),
        (Role::Officer | Role::InterventionOfficer, R::Team { team_id }) => {
            Decision::allow_if(own_team(*team_id) && action == Action::Read, Forbidden)
        }

        (Role::Partner | Role::CityService, R::User { user_id, .. }) => {
            Decision::allow_if(*user_id == actor.user_id && action == Action::Read, Forbidden)
        }
        (Role::Partner | Role::CityService, R::Organisation { org_id }) => {
            Decision::allow_if(own_org(Some(*org_id)) && action == Action::Read, Forbidden)
        }
        (Role::Partner, R::OrganisationAccessLog { org_id }) => {
            Decision::allow_if(own_org(Some(*org_id)) && action == Action::Read, Forbidden)
        }

        // Police see which partners exist, to refer signals to them.
        (Role::Officer | Role::TeamLead | Role::InterventionOfficer, R::Organisation { .. }) => {
            Decision::allow_if(action == Action::Read, Forbidden)
        }

        // Deciding between two people's edits is the lead's call; officers may know
        // the review exists, no one outside the team may.
        (Role::TeamLead, R::TeamSync { team_id }) => Decision::allow_if(
            own_team(*team_id) && matches!(action, Action::Read | Action::Update),
            if own_team(*team_id) { Forbidden } else { Hidden },
        ),
        (Role::Officer | Role::InterventionOfficer, R::TeamSync { team_id }) => {
            if own_team(*team_id) {
                Forbidden
            } else {
                Hidden
            }
        }
        (Role::Partner | Role::CityService, R::TeamSync { .. }) => Hidden,

        (_, R::Team { .. } | R::Device { .. } | R::TeamAccessLog { .. } | R::OrganisationAccessLog { .. }) => Forbidden,
        (Role::Admin, R::TeamSync { .. }) => Forbidden,
    }
}

/// What a device key may be used for at all (the role's rules still apply on top):
/// pushing contacts and signals and their offline edits, pulling what the phone shows
/// offline, uploading photos, and reading who it belongs to. Never managing anything,
/// registering or revoking phones, resolving conflicts or reading the access logs.
fn device_key_may(action: Action, resource: &Resource) -> bool {
    use Resource as R;
    match resource {
        R::Contact { .. } | R::Signal { .. } => action != Action::Manage,
        R::User { .. } | R::Team { .. } | R::Organisation { .. } => action == Action::Read,
        R::Device { .. } | R::TeamAccessLog { .. } | R::OrganisationAccessLog { .. } | R::TeamSync { .. } => false,
    }
}

/// May `actor` give an account `role`? Admins may give any role; team leads only the
/// officer roles, within their own team (which `decide` checks). Without this, a team
/// lead could create an admin account or promote a colleague to one.
pub fn may_grant(actor: &Actor, role: Role) -> bool {
    if actor.via == Via::DeviceKey {
        return false;
    }
    match actor.role {
        Role::Admin => true,
        Role::TeamLead => matches!(role, Role::Officer | Role::InterventionOfficer),
        _ => false,
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
