//! What a person may do, as the screens need to know it: which navigation entries,
//! forms and buttons to show. Every answer is asked of [`decide`] on the person's own
//! team or organisation, so the pages show exactly what the policy allows and a
//! change of rule in `policy.rs` changes the screens with it. The pages never look at
//! the role themselves.

use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::TeamId;
use crate::policy::{decide, Action, Actor, Resource};

/// The screens' view of the policy for one person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Log street contacts (the contact form).
    pub log_contacts: bool,
    /// See the team's street contacts (codes, time, place).
    pub read_contacts: bool,
    /// See the notes of those contacts (written to the access log).
    pub read_contact_notes: bool,
    /// File neighbourhood signals (the signal form).
    pub file_signals: bool,
    /// See a list of signals (the team's, the organisation's, or those referred).
    pub read_signals: bool,
    /// Manage the team's members (officer roles) and phones.
    pub manage_team: bool,
    /// Read who was shown the personal data of the team's records.
    pub read_team_access_log: bool,
    /// Review what the team's phones synced and settle kept conflicts.
    pub review_team_sync: bool,
    /// Read who read the organisation's signals.
    pub read_org_access_log: bool,
    /// Run accounts, teams, organisations and phones.
    pub administer: bool,
}

impl Capabilities {
    /// Whether this person saves entries on the phone first, and so needs the sync
    /// bar and the outbox.
    pub fn captures(&self) -> bool {
        self.log_contacts || self.file_signals
    }
}

/// What `actor` may do on their own team and organisation.
pub fn capabilities(actor: &Actor) -> Capabilities {
    let allowed = |action: Action, resource: Resource| decide(actor, action, &resource).is_allowed();
    let team = actor.team_id;
    let on_team = |action: Action, make: fn(TeamId) -> Resource| team.is_some_and(|t| allowed(action, make(t)));
    let contact = |team_id| Resource::Contact { team_id };
    // A signal as each kind of reader meets it: the team's own, the organisation's
    // own, or one referred to the organisation. Filing is asked on the team's (police)
    // or as the organisation's author (partners, who file across the city).
    let any_team = team.unwrap_or(TeamId::from_uuid(Uuid::nil()));
    let own_signal = Resource::Signal { team_id: any_team, author_org_id: actor.org_id, referred_to_org_id: None };
    let referred_signal = Resource::Signal { team_id: any_team, author_org_id: None, referred_to_org_id: actor.org_id };
    let admin_probe = Resource::Team { team_id: any_team };
    Capabilities {
        log_contacts: on_team(Action::Create, contact),
        read_contacts: on_team(Action::Read, contact),
        read_contact_notes: on_team(Action::ReadPersonal, contact),
        file_signals: allowed(Action::Create, own_signal),
        read_signals: allowed(Action::Read, own_signal) || allowed(Action::Read, referred_signal),
        manage_team: on_team(Action::Manage, |team_id| Resource::User {
            user_id: UserId::from_uuid(Uuid::nil()),
            team_id: Some(team_id),
            org_id: None,
        }),
        read_team_access_log: on_team(Action::Read, |team_id| Resource::TeamAccessLog { team_id }),
        review_team_sync: on_team(Action::Read, |team_id| Resource::TeamSync { team_id }),
        read_org_access_log: actor
            .org_id
            .is_some_and(|org_id| allowed(Action::Read, Resource::OrganisationAccessLog { org_id })),
        administer: allowed(Action::Create, admin_probe),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Role;
    use crate::ids::OrgId;
    use crate::policy::Via;

    fn actor(role: Role) -> Actor {
        let (team_id, org_id) = match role {
            Role::Officer | Role::TeamLead | Role::InterventionOfficer => {
                (Some(TeamId::from_uuid(Uuid::from_u128(1))), None)
            }
            Role::Partner | Role::CityService => (None, Some(OrgId::from_uuid(Uuid::from_u128(2)))),
            Role::Admin => (None, None),
        };
        Actor { user_id: UserId::from_uuid(Uuid::from_u128(3)), role, team_id, org_id, via: Via::Session }
    }

    #[test]
    fn intervention_officers_read_contacts_without_notes() {
        let c = capabilities(&actor(Role::InterventionOfficer));
        assert!(c.read_contacts && !c.read_contact_notes && !c.log_contacts && !c.captures());
        assert!(c.read_signals && !c.file_signals);
    }

    #[test]
    fn each_role_gets_its_own_screens() {
        let officer = capabilities(&actor(Role::Officer));
        assert!(officer.log_contacts && officer.read_contact_notes && officer.file_signals);
        assert!(!officer.manage_team && !officer.review_team_sync && !officer.administer);

        let lead = capabilities(&actor(Role::TeamLead));
        assert!(lead.manage_team && lead.read_team_access_log && lead.review_team_sync && lead.captures());
        assert!(!lead.administer && !lead.read_org_access_log);

        let partner = capabilities(&actor(Role::Partner));
        assert!(partner.file_signals && partner.read_signals && partner.read_org_access_log);
        assert!(!partner.read_contacts && !partner.log_contacts && !partner.manage_team);

        let city = capabilities(&actor(Role::CityService));
        assert!(city.read_signals && !city.file_signals && !city.captures() && !city.read_org_access_log);

        let admin = capabilities(&actor(Role::Admin));
        assert_eq!(admin, Capabilities { administer: true, ..Capabilities::default() });
    }

    #[test]
    fn a_device_key_opens_no_management_screen() {
        let lead = capabilities(&actor(Role::TeamLead).through_device_key());
        assert!(lead.log_contacts && lead.file_signals && lead.read_signals);
        assert!(!lead.manage_team && !lead.read_team_access_log && !lead.review_team_sync);
        assert!(!capabilities(&actor(Role::Admin).through_device_key()).administer);
    }
}
