//! What an account belongs to, as its role decides: police (officer, team lead,
//! intervention officer) belong to a neighbourhood team and to no organisation;
//! partners to a partner organisation, city services to a city service, neither to a
//! team; admins to neither. A police account with a partner's organisation would file
//! signals under that organisation, and the partner would read the police text.
//!
//! [`Membership`] can only be built by [`Membership::new`], which refuses every other
//! pair, so an account made or changed from one holds a pair that fits its role. The
//! database says the same in a CHECK (`users_membership_fits_role`), for rows written
//! around the application.

use crate::codes::{PartnerKind, Role};
use crate::ids::{OrgId, TeamId, UserId};
use crate::org::{PartnerOrganisation, User};
use crate::validation::{Problem, ValidationErrors};

/// A role with the team or organisation it needs, and nothing it must not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Membership {
    role: Role,
    belongs_to: BelongsTo,
}

/// Private: outside this module a membership is only read, never assembled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BelongsTo {
    Team(TeamId),
    Organisation(OrgId),
    Nothing,
}

/// What a role needs an account to belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Team,
    /// A partner organisation: any kind but a city service.
    PartnerOrganisation,
    CityService,
    Nothing,
}

impl Needs {
    pub fn of(role: Role) -> Self {
        match role {
            Role::Officer | Role::TeamLead | Role::InterventionOfficer => Needs::Team,
            Role::Partner => Needs::PartnerOrganisation,
            Role::CityService => Needs::CityService,
            Role::Admin => Needs::Nothing,
        }
    }

    fn accepts(self, kind: PartnerKind) -> bool {
        match self {
            Needs::PartnerOrganisation => kind != PartnerKind::CityService,
            Needs::CityService => kind == PartnerKind::CityService,
            Needs::Team | Needs::Nothing => false,
        }
    }
}

impl Membership {
    /// Checks the pair against the role. `team_id` and `org` are what was asked for
    /// (the organisation already looked up, as its kind matters); every misfit is
    /// reported on its field (`team_id`, `org_id`) with the role, so the sentence can
    /// say what that role needs.
    pub fn new(
        role: Role,
        team_id: Option<TeamId>,
        org: Option<&PartnerOrganisation>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let needs = Needs::of(role);
        let belongs_to = match needs {
            Needs::Team => {
                if org.is_some() {
                    errors.push("org_id", Problem::NotForRole { role });
                }
                match team_id {
                    Some(team_id) => Some(BelongsTo::Team(team_id)),
                    None => {
                        errors.push("team_id", Problem::NeededForRole { role });
                        None
                    }
                }
            }
            Needs::PartnerOrganisation | Needs::CityService => {
                if team_id.is_some() {
                    errors.push("team_id", Problem::NotForRole { role });
                }
                match org {
                    Some(org) if needs.accepts(org.kind) => Some(BelongsTo::Organisation(org.id)),
                    _ => {
                        errors.push("org_id", Problem::NeededForRole { role });
                        None
                    }
                }
            }
            Needs::Nothing => {
                if team_id.is_some() {
                    errors.push("team_id", Problem::NotForRole { role });
                }
                if org.is_some() {
                    errors.push("org_id", Problem::NotForRole { role });
                }
                Some(BelongsTo::Nothing)
            }
        };
        match belongs_to {
            Some(belongs_to) if errors.is_empty() => Ok(Self { role, belongs_to }),
            _ => Err(errors),
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn team_id(&self) -> Option<TeamId> {
        match self.belongs_to {
            BelongsTo::Team(id) => Some(id),
            _ => None,
        }
    }

    pub fn org_id(&self) -> Option<OrgId> {
        match self.belongs_to {
            BelongsTo::Organisation(id) => Some(id),
            _ => None,
        }
    }
}

impl User {
    /// An account whose role, team and organisation come from a checked membership:
    /// the way the use cases make and change accounts.
    pub fn new(id: UserId, username: String, display_name: String, membership: Membership) -> Self {
        Self {
            id,
            username,
            display_name,
            role: membership.role(),
            team_id: membership.team_id(),
            partner_org_id: membership.org_id(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(kind: PartnerKind) -> PartnerOrganisation {
        PartnerOrganisation { id: OrgId::new_v7(), name: "Org".into(), kind, district_id: None }
    }

    fn problems(result: Result<Membership, ValidationErrors>) -> Vec<(String, Problem)> {
        result.expect_err("refused").errors.into_iter().map(|e| (e.field, e.problem)).collect()
    }

    const POLICE: [Role; 3] = [Role::Officer, Role::TeamLead, Role::InterventionOfficer];

    #[test]
    fn police_belong_to_a_team_and_no_organisation() {
        let team = TeamId::new_v7();
        let youth = org(PartnerKind::YouthWork);
        for role in POLICE {
            let m = Membership::new(role, Some(team), None).expect("a team is what police need");
            assert_eq!((m.role(), m.team_id(), m.org_id()), (role, Some(team), None));
            assert_eq!(
                problems(Membership::new(role, Some(team), Some(&youth))),
                [("org_id".to_owned(), Problem::NotForRole { role })]
            );
            assert_eq!(
                problems(Membership::new(role, None, None)),
                [("team_id".to_owned(), Problem::NeededForRole { role })]
            );
        }
    }

    #[test]
    fn partners_belong_to_a_partner_organisation_and_no_team() {
        let youth = org(PartnerKind::YouthWork);
        let m = Membership::new(Role::Partner, None, Some(&youth)).expect("a partner organisation");
        assert_eq!((m.team_id(), m.org_id()), (None, Some(youth.id)));
        let role = Role::Partner;
        assert_eq!(
            problems(Membership::new(role, Some(TeamId::new_v7()), Some(&youth))),
            [("team_id".to_owned(), Problem::NotForRole { role })]
        );
        assert_eq!(
            problems(Membership::new(role, None, None)),
            [("org_id".to_owned(), Problem::NeededForRole { role })]
        );
        let city = org(PartnerKind::CityService);
        assert_eq!(
            problems(Membership::new(role, None, Some(&city))),
            [("org_id".to_owned(), Problem::NeededForRole { role })]
        );
    }

    #[test]
    fn city_services_belong_to_a_city_service_only() {
        let city = org(PartnerKind::CityService);
        let m = Membership::new(Role::CityService, None, Some(&city)).expect("a city service");
        assert_eq!((m.team_id(), m.org_id()), (None, Some(city.id)));
        let role = Role::CityService;
        let youth = org(PartnerKind::YouthWork);
        assert_eq!(
            problems(Membership::new(role, None, Some(&youth))),
            [("org_id".to_owned(), Problem::NeededForRole { role })]
        );
        assert_eq!(
            problems(Membership::new(role, Some(TeamId::new_v7()), Some(&city))),
            [("team_id".to_owned(), Problem::NotForRole { role })]
        );
    }

    #[test]
    fn admins_belong_to_neither() {
        let m = Membership::new(Role::Admin, None, None).expect("an admin");
        assert_eq!((m.team_id(), m.org_id()), (None, None));
        let role = Role::Admin;
        let youth = org(PartnerKind::YouthWork);
        assert_eq!(
            problems(Membership::new(role, Some(TeamId::new_v7()), Some(&youth))),
            [("team_id".to_owned(), Problem::NotForRole { role }), ("org_id".to_owned(), Problem::NotForRole { role }),]
        );
    }

    #[test]
    fn a_user_made_from_a_membership_carries_its_pair() {
        let team = TeamId::new_v7();
        let m = Membership::new(Role::TeamLead, Some(team), None).expect("a team lead");
        let user = User::new(UserId::new_v7(), "tl".into(), "TL".into(), m);
        assert_eq!((user.role, user.team_id, user.partner_org_id), (Role::TeamLead, Some(team), None));
    }
}
