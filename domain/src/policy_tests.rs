use super::*;
use crate::ids::UserId;
use crate::ids::{OrgId, TeamId};
use uuid::Uuid;

const T1: TeamId = TeamId::from_uuid(Uuid::from_u128(1));
const T2: TeamId = TeamId::from_uuid(Uuid::from_u128(2));
const ORG_A: OrgId = OrgId::from_uuid(Uuid::from_u128(10));
const ORG_B: OrgId = OrgId::from_uuid(Uuid::from_u128(11));
const CITY: OrgId = OrgId::from_uuid(Uuid::from_u128(20));

fn actor(role: Role) -> Actor {
    let (team_id, org_id) = match role {
        Role::Officer | Role::TeamLead | Role::InterventionOfficer => (Some(T1), None),
        Role::Partner => (None, Some(ORG_A)),
        Role::CityService => (None, Some(CITY)),
        Role::Admin => (None, None),
    };
    Actor { user_id: UserId::from_uuid(Uuid::from_u128(100 + role as u128)), role, team_id, org_id, via: Via::Session }
}

fn signal(team_id: TeamId, author: Option<OrgId>, referred: Option<OrgId>) -> Resource {
    Resource::Signal { team_id, author_org_id: author, referred_to_org_id: referred }
}

fn decisions(role: Role, resource: Resource) -> Vec<Decision> {
    Action::ALL.iter().map(|a| decide(&actor(role), *a, &resource)).collect()
}

#[test]
fn police_contacts_do_not_exist_for_partners_city_services_and_admins() {
    for role in [Role::Partner, Role::CityService, Role::Admin] {
        assert!(decisions(role, Resource::Contact { team_id: T1 }).iter().all(|d| *d == Decision::Hidden), "{role:?}");
    }
}

#[test]
fn officers_work_in_their_own_team_only() {
    let own = Resource::Contact { team_id: T1 };
    let other = Resource::Contact { team_id: T2 };
    let officer = actor(Role::Officer);
    for action in [Action::Create, Action::Read, Action::ReadPersonal] {
        assert_eq!(decide(&officer, action, &own), Decision::Allow);
        assert_eq!(decide(&officer, action, &other), Decision::Hidden);
    }
    assert_eq!(decide(&officer, Action::Manage, &own), Decision::Hidden);
}

#[test]
fn intervention_officers_see_patterns_not_notes() {
    let own = Resource::Contact { team_id: T1 };
    let io = actor(Role::InterventionOfficer);
    assert_eq!(decide(&io, Action::Read, &own), Decision::Allow);
    assert_eq!(decide(&io, Action::ReadPersonal, &own), Decision::Forbidden, "may know it exists");
    assert_eq!(decide(&io, Action::Create, &own), Decision::Forbidden);
    assert_eq!(decide(&io, Action::Read, &Resource::Contact { team_id: T2 }), Decision::Hidden);
}

#[test]
fn partners_see_their_own_organisations_signals_only() {
    let partner = actor(Role::Partner);
    let ours = signal(T1, Some(ORG_A), None);
    let theirs = signal(T1, Some(ORG_B), None);
    let police = signal(T1, None, None);
    assert_eq!(decide(&partner, Action::Create, &ours), Decision::Allow);
    assert_eq!(decide(&partner, Action::Create, &theirs), Decision::Forbidden, "cannot file in another's name");
    assert_eq!(decide(&partner, Action::ReadPersonal, &ours), Decision::Allow);
    assert_eq!(decide(&partner, Action::Update, &ours), Decision::Forbidden, "status is the team's call");
    for resource in [theirs, police] {
        assert_eq!(decide(&partner, Action::Read, &resource), Decision::Hidden);
    }
    let referred = signal(T2, None, Some(ORG_A));
    assert_eq!(decide(&partner, Action::Read, &referred), Decision::Allow, "referred to us");
    assert_eq!(decide(&partner, Action::ReadPersonal, &referred), Decision::Forbidden, "not the police's text");
}

#[test]
fn city_services_read_and_update_what_was_referred_to_them() {
    let city = actor(Role::CityService);
    let referred = signal(T2, None, Some(CITY));
    assert_eq!(decide(&city, Action::ReadPersonal, &referred), Decision::Allow);
    assert_eq!(decide(&city, Action::Update, &referred), Decision::Allow);
    assert_eq!(decide(&city, Action::Create, &referred), Decision::Forbidden);
    assert_eq!(decide(&city, Action::Read, &signal(T2, None, None)), Decision::Hidden);
    assert_eq!(decide(&city, Action::Read, &Resource::Team { team_id: T2 }), Decision::Forbidden);
}

#[test]
fn admins_run_accounts_not_investigations() {
    let admin = actor(Role::Admin);
    let user = Resource::User { user_id: UserId::from_uuid(Uuid::from_u128(5)), team_id: Some(T2), org_id: None };
    assert_eq!(decide(&admin, Action::Manage, &user), Decision::Allow);
    assert_eq!(decide(&admin, Action::Manage, &Resource::Organisation { org_id: ORG_B }), Decision::Allow);
    assert_eq!(decide(&admin, Action::Read, &signal(T1, None, None)), Decision::Forbidden);
    assert_eq!(decide(&admin, Action::ReadPersonal, &Resource::Contact { team_id: T1 }), Decision::Hidden);
}

#[test]
fn team_leads_manage_their_own_team_and_read_its_access_log() {
    let lead = actor(Role::TeamLead);
    let member = Resource::User { user_id: UserId::from_uuid(Uuid::from_u128(5)), team_id: Some(T1), org_id: None };
    let stranger = Resource::User { user_id: UserId::from_uuid(Uuid::from_u128(6)), team_id: Some(T2), org_id: None };
    assert_eq!(decide(&lead, Action::Manage, &member), Decision::Allow);
    assert_eq!(decide(&lead, Action::Manage, &stranger), Decision::Forbidden);
    let phone = Resource::Device { owner_id: UserId::from_uuid(Uuid::from_u128(5)), owner_team_id: Some(T1) };
    assert_eq!(decide(&lead, Action::Manage, &phone), Decision::Allow);
    assert_eq!(decide(&lead, Action::Read, &Resource::TeamAccessLog { team_id: T1 }), Decision::Allow);
    assert_eq!(decide(&lead, Action::Read, &Resource::TeamAccessLog { team_id: T2 }), Decision::Forbidden);
    assert_eq!(
        decide(&actor(Role::Officer), Action::Read, &Resource::TeamAccessLog { team_id: T1 }),
        Decision::Forbidden
    );
}

#[test]
fn everyone_may_revoke_their_own_phone_and_nobody_elses() {
    for role in Role::all() {
        let me = actor(role);
        let mine = Resource::Device { owner_id: me.user_id, owner_team_id: me.team_id };
        assert_eq!(decide(&me, Action::Manage, &mine), Decision::Allow, "{role:?}");
        let other = Resource::Device { owner_id: UserId::from_uuid(Uuid::from_u128(999)), owner_team_id: Some(T2) };
        let expected = if role == Role::Admin { Decision::Allow } else { Decision::Forbidden };
        assert_eq!(decide(&me, Action::Manage, &other), expected, "{role:?}");
    }
}

#[test]
fn partners_see_who_read_their_organisations_signals() {
    let partner = actor(Role::Partner);
    assert_eq!(decide(&partner, Action::Read, &Resource::OrganisationAccessLog { org_id: ORG_A }), Decision::Allow);
    assert_eq!(decide(&partner, Action::Read, &Resource::OrganisationAccessLog { org_id: ORG_B }), Decision::Forbidden);
}

#[test]
fn nobody_outside_a_team_creates_its_contacts() {
    let contact = Resource::Contact { team_id: T1 };
    let allowed: Vec<Role> =
        Role::all().filter(|r| decide(&actor(*r), Action::Create, &contact).is_allowed()).collect();
    assert_eq!(allowed, [Role::Officer, Role::TeamLead]);
}

#[test]
fn team_leads_grant_officer_roles_only() {
    let lead = actor(Role::TeamLead);
    assert!(may_grant(&lead, Role::Officer));
    assert!(may_grant(&lead, Role::InterventionOfficer));
    for role in [Role::TeamLead, Role::Admin, Role::Partner, Role::CityService] {
        assert!(!may_grant(&lead, role), "{role:?}");
    }
    assert!(Role::all().all(|r| may_grant(&actor(Role::Admin), r)));
    assert!(Role::all().all(|r| !may_grant(&actor(Role::Officer), r)));
}

#[test]
fn only_the_team_lead_reviews_and_resolves_the_teams_sync_conflicts() {
    let own = Resource::TeamSync { team_id: T1 };
    let other = Resource::TeamSync { team_id: T2 };
    let lead = actor(Role::TeamLead);
    assert_eq!(decide(&lead, Action::Read, &own), Decision::Allow);
    assert_eq!(decide(&lead, Action::Update, &own), Decision::Allow, "resolving is an update");
    for action in [Action::Create, Action::ReadPersonal, Action::Manage] {
        assert_eq!(decide(&lead, action, &own), Decision::Forbidden, "{action:?}");
    }
    assert!(decisions(Role::TeamLead, other).iter().all(|d| *d == Decision::Hidden), "another team's lead");
    for role in [Role::Officer, Role::InterventionOfficer] {
        assert!(decisions(role, own).iter().all(|d| *d == Decision::Forbidden), "{role:?} of the team: 403");
        assert!(decisions(role, other).iter().all(|d| *d == Decision::Hidden), "{role:?} of another team");
    }
    for role in [Role::Partner, Role::CityService] {
        assert!(decisions(role, own).iter().all(|d| *d == Decision::Hidden), "{role:?}: police business");
    }
    assert!(decisions(Role::Admin, own).iter().all(|d| *d == Decision::Forbidden), "admins run accounts");
}

#[test]
fn a_device_key_only_syncs() {
    let own_user = |a: &Actor| Resource::User { user_id: a.user_id, team_id: a.team_id, org_id: a.org_id };
    for role in Role::all() {
        let session = actor(role);
        let key = session.through_device_key();
        // Whatever the role may manage, a key may not: accounts, teams, organisations, phones.
        for resource in [
            own_user(&session),
            Resource::Team { team_id: T1 },
            Resource::Organisation { org_id: ORG_A },
            Resource::Device { owner_id: session.user_id, owner_team_id: session.team_id },
            Resource::Device { owner_id: UserId::from_uuid(Uuid::from_u128(999)), owner_team_id: Some(T1) },
            Resource::TeamAccessLog { team_id: T1 },
            Resource::OrganisationAccessLog { org_id: ORG_A },
        ] {
            for action in [Action::Create, Action::Update, Action::Manage] {
                assert_eq!(decide(&key, action, &resource), Decision::Forbidden, "{role:?} {action:?} {resource:?}");
            }
        }
        // No phone registers or lists phones with a key, not even its own.
        let own_phone = Resource::Device { owner_id: session.user_id, owner_team_id: session.team_id };
        assert_eq!(decide(&key, Action::Read, &own_phone), Decision::Forbidden, "{role:?}");
        assert_eq!(decide(&session, Action::Create, &own_phone), Decision::Allow, "{role:?} with a session");
        // Conflicts are the lead's call at a desk, not a phone's.
        assert_eq!(decide(&key, Action::Update, &Resource::TeamSync { team_id: T1 }), Decision::Forbidden);
        assert!(!may_grant(&key, Role::Officer), "{role:?}");
        // Reading who one is works, as `me` needs.
        assert_eq!(
            decide(&key, Action::Read, &own_user(&session)),
            decide(&session, Action::Read, &own_user(&session))
        );
    }
}

#[test]
fn a_device_key_syncs_what_the_role_may() {
    let officer = actor(Role::Officer).through_device_key();
    for action in [Action::Create, Action::Read, Action::ReadPersonal] {
        assert_eq!(decide(&officer, action, &Resource::Contact { team_id: T1 }), Decision::Allow);
    }
    assert_eq!(decide(&officer, Action::Update, &signal(T1, None, None)), Decision::Allow, "offline status edits");
    assert_eq!(decide(&officer, Action::Read, &Resource::Contact { team_id: T2 }), Decision::Hidden);
    let partner = actor(Role::Partner).through_device_key();
    assert_eq!(decide(&partner, Action::Create, &signal(T1, Some(ORG_A), None)), Decision::Allow);
    assert_eq!(decide(&partner, Action::Read, &Resource::Contact { team_id: T1 }), Decision::Hidden);
}
