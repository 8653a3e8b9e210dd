//! Accounts, teams and partner organisations: what admins (and team leads, for their
//! own team) manage. New accounts get no password: they get a one-time link to set one.

use chrono::{DateTime, Utc};
use domain::{DistrictId, UserId};
use domain::{Membership, PartnerKind, PartnerOrganisation, Problem, Role, Team, User, ValidationErrors};
use domain::{OrgId, TeamId};
use serde::{Deserialize, Serialize};
use store::PasswordToken;

use crate::secrets::{hash_password_blocking, hash_token, new_token};
use crate::{authorize, Action, Actor, Decision, Resource, ServiceError, Services};

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Stored for accounts that have not set a password yet: not a PHC string, so no
/// password ever matches it.
const NO_PASSWORD: &str = "!unset";

/// An account to create or the new values of an existing one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountForm {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub org_id: Option<OrgId>,
}

/// A one-time link to set a password; the token is shown once and stored hashed.
#[derive(Debug, Clone)]
pub struct PasswordLink {
    pub user: User,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl PasswordLink {
    pub fn path(&self) -> String {
        format!("/password/{}", self.token)
    }
}

fn user_resource(user_id: UserId, team_id: Option<TeamId>, org_id: Option<OrgId>) -> Resource {
    Resource::User { user_id, team_id, org_id }
}

/// Checks an account form's username and name.
fn check_names(form: &AccountForm) -> ValidationErrors {
    let mut errors = ValidationErrors::default();
    let username = form.username.trim();
    if username.is_empty() {
        errors.push("username", Problem::Required);
    } else if username.len() > 40 || !username.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c)) {
        errors.push("username", Problem::Malformed);
    }
    if form.display_name.trim().is_empty() {
        errors.push("display_name", Problem::Required);
    } else if form.display_name.trim().chars().count() > 80 {
        errors.push("display_name", Problem::TooLong { max: 80 });
    }
    errors
}

/// The problems of a new account's username and name alone, for a form that fails
/// before it has a role (the page still names every missing field at once).
pub fn name_problems(username: &str, display_name: &str) -> ValidationErrors {
    check_names(&AccountForm {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        role: Role::Officer,
        team_id: None,
        org_id: None,
    })
}

/// Checks a whole account form: the names, and the team or organisation the role
/// needs (see [`Membership`]) among those that exist. Every problem at once.
fn check_account(
    form: &AccountForm,
    teams: &[Team],
    orgs: &[PartnerOrganisation],
) -> Result<Membership, ValidationErrors> {
    let mut errors = check_names(form);
    if form.team_id.is_some_and(|id| !teams.iter().any(|t| t.id == id)) {
        errors.push("team_id", Problem::UnknownCode);
    }
    let org = match form.org_id {
        Some(id) => match orgs.iter().find(|o| o.id == id) {
            Some(org) => Some(org),
            None => {
                errors.push("org_id", Problem::UnknownCode);
                return Err(errors);
            }
        },
        None => None,
    };
    match Membership::new(form.role, form.team_id, org) {
        Ok(membership) => errors.into_result(|| membership),
        Err(misfits) => {
            // A team that does not exist is already reported; say it once.
            for misfit in misfits.errors {
                if errors.for_field(&misfit.field).is_none() {
                    errors.errors.push(misfit);
                }
            }
            Err(errors)
        }
    }
}

impl Services {
    /// Every account the actor may see.
    pub async fn visible_users(&self, actor: &Actor) -> Result<Vec<User>, ServiceError> {
        let users = self.store.users().await?;
        Ok(users
            .into_iter()
            .filter(|u| {
                domain::policy::decide(actor, Action::Read, &user_resource(u.id, u.team_id, u.partner_org_id))
                    == Decision::Allow
            })
            .collect())
    }

    /// Creates an account without a password and returns its one-time link. The one
    /// way to make an account: the JSON API and the admin page both call it.
    pub async fn create_user(&self, actor: &Actor, form: &AccountForm) -> Result<PasswordLink, ServiceError> {
        let id = UserId::new_v7();
        authorize(actor, Action::Manage, &user_resource(id, form.team_id, form.org_id))?;
        if !domain::policy::may_grant(actor, form.role) {
            return Err(ServiceError::Forbidden);
        }
        let membership = self.checked_account(form).await?;
        let user = User::new(id, form.username.trim().to_owned(), form.display_name.trim().to_owned(), membership);
        self.store.insert_user(&user, NO_PASSWORD).await?;
        tracing::info!(user = %user.id, by = %actor.user_id, role = %user.role, "account created");
        self.issue_password_link(user).await
    }

    /// Changes an account. Its sessions end, so a new role takes effect at once. The
    /// one way to change an account: the JSON API and the admin page both call it.
    pub async fn update_user(&self, actor: &Actor, id: UserId, form: &AccountForm) -> Result<User, ServiceError> {
        let user = self.store.user(id).await?.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Manage, &user_resource(user.id, user.team_id, user.partner_org_id))?;
        authorize(actor, Action::Manage, &user_resource(user.id, form.team_id, form.org_id))?;
        // Changing one's own role could remove the last admin or lock oneself out
        // mid-change: another admin has to do it.
        if user.id == actor.user_id && form.role != user.role {
            return Err(ServiceError::Forbidden);
        }
        // Both the role the account has and the one it gets must be the actor's to give.
        if !domain::policy::may_grant(actor, user.role) || !domain::policy::may_grant(actor, form.role) {
            return Err(ServiceError::Forbidden);
        }
        let membership = self.checked_account(&AccountForm { username: user.username.clone(), ..form.clone() }).await?;
        let user = User::new(user.id, user.username, form.display_name.trim().to_owned(), membership);
        if !self.store.update_user(&user).await? {
            return Err(ServiceError::NotFound);
        }
        self.store.delete_sessions_of_user(user.id).await?;
        Ok(user)
    }

    /// The form's membership, checked against the role and the teams and
    /// organisations that exist.
    async fn checked_account(&self, form: &AccountForm) -> Result<Membership, ServiceError> {
        let teams = self.store.teams().await?;
        let orgs = self.store.partner_organisations().await?;
        check_account(form, &teams, &orgs).map_err(ServiceError::Invalid)
    }

    /// A new one-time link for an existing account (a forgotten password).
    pub async fn password_link(&self, actor: &Actor, user_id: UserId) -> Result<PasswordLink, ServiceError> {
        let user = self.store.user(user_id).await?.ok_or(ServiceError::NotFound)?;
        authorize(actor, Action::Manage, &user_resource(user.id, user.team_id, user.partner_org_id))?;
        // Resetting someone's password is taking over their account: same rule as granting.
        if !domain::policy::may_grant(actor, user.role) {
            return Err(ServiceError::Forbidden);
        }
        self.issue_password_link(user).await
    }

    async fn issue_password_link(&self, user: User) -> Result<PasswordLink, ServiceError> {
        let token = new_token();
        let now = self.now();
        let expires_at = now + self.settings.password_link_ttl;
        let stored = PasswordToken { token_hash: hash_token(&token), user_id: user.id, created_at: now, expires_at };
        self.store.insert_password_token(&stored).await?;
        Ok(PasswordLink { user, token, expires_at })
    }

    /// Sets a password through a one-time link; every session of the account ends.
    pub async fn set_password_with_link(&self, token: &str, password: &str) -> Result<User, ServiceError> {
        if password.chars().count() < MIN_PASSWORD_CHARS {
            let mut errors = ValidationErrors::default();
            errors.push("password", Problem::OutOfRange);
            return Err(ServiceError::Invalid(errors));
        }
        let hash = hash_password_blocking(password.to_owned()).await?;
        let user_id =
            self.store.use_password_token(&hash_token(token), self.now()).await?.ok_or(ServiceError::LinkInvalid)?;
        self.store.set_password_hash(user_id, &hash).await?;
        self.sign_off_everywhere(user_id).await?;
        self.store.user(user_id).await?.ok_or(ServiceError::NotFound)
    }

    pub async fn visible_teams(&self, actor: &Actor) -> Result<Vec<Team>, ServiceError> {
        let teams = self.store.teams().await?;
        Ok(teams
            .into_iter()
            .filter(|t| {
                domain::policy::decide(actor, Action::Read, &Resource::Team { team_id: t.id }) == Decision::Allow
            })
            .collect())
    }

    pub async fn create_team(&self, actor: &Actor, district_id: DistrictId, name: &str) -> Result<Team, ServiceError> {
        let team = Team { id: TeamId::new_v7(), district_id, name: name.trim().to_owned() };
        authorize(actor, Action::Manage, &Resource::Team { team_id: team.id })?;
        if team.name.is_empty() {
            let mut errors = ValidationErrors::default();
            errors.push("name", Problem::Required);
            return Err(ServiceError::Invalid(errors));
        }
        self.store.insert_team(&team).await?;
        Ok(team)
    }

    pub async fn visible_organisations(&self, actor: &Actor) -> Result<Vec<PartnerOrganisation>, ServiceError> {
        let orgs = self.store.partner_organisations().await?;
        Ok(orgs
            .into_iter()
            .filter(|o| {
                domain::policy::decide(actor, Action::Read, &Resource::Organisation { org_id: o.id }) == Decision::Allow
            })
            .collect())
    }

    pub async fn create_organisation(
        &self,
        actor: &Actor,
        name: &str,
        kind: PartnerKind,
        district_id: Option<DistrictId>,
    ) -> Result<PartnerOrganisation, ServiceError> {
        let org = PartnerOrganisation { id: OrgId::new_v7(), name: name.trim().to_owned(), kind, district_id };
        authorize(actor, Action::Manage, &Resource::Organisation { org_id: org.id })?;
        if org.name.is_empty() {
            let mut errors = ValidationErrors::default();
            errors.push("name", Problem::Required);
            return Err(ServiceError::Invalid(errors));
        }
        self.store.insert_partner_organisation(&org).await?;
        Ok(org)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(role: Role) -> AccountForm {
        AccountForm { username: "agent.kiel".into(), display_name: "Ann".into(), role, team_id: None, org_id: None }
    }

    fn team() -> Team {
        Team { id: TeamId::new_v7(), district_id: DistrictId::new_v7(), name: "Wijkteam Kiel".into() }
    }

    fn org(kind: PartnerKind) -> PartnerOrganisation {
        PartnerOrganisation { id: OrgId::new_v7(), name: "Buurtwerk Kiel".into(), kind, district_id: None }
    }

    #[test]
    fn police_need_a_team_and_partners_an_organisation() {
        let errors = check_account(&form(Role::Officer), &[], &[]).unwrap_err();
        assert_eq!(errors.for_field("team_id"), Some(&Problem::NeededForRole { role: Role::Officer }));
        let errors = check_account(&form(Role::Partner), &[], &[]).unwrap_err();
        assert_eq!(errors.for_field("org_id"), Some(&Problem::NeededForRole { role: Role::Partner }));
        assert!(check_account(&form(Role::Admin), &[], &[]).is_ok());
    }

    #[test]
    fn an_officer_with_a_partner_organisation_is_refused() {
        let (team, youth) = (team(), org(PartnerKind::YouthWork));
        let officer = AccountForm { team_id: Some(team.id), org_id: Some(youth.id), ..form(Role::Officer) };
        let errors = check_account(&officer, std::slice::from_ref(&team), std::slice::from_ref(&youth)).unwrap_err();
        assert_eq!(errors.errors.len(), 1, "{errors:?}");
        assert_eq!(errors.for_field("org_id"), Some(&Problem::NotForRole { role: Role::Officer }));
        let membership = check_account(&AccountForm { org_id: None, ..officer }, std::slice::from_ref(&team), &[youth])
            .expect("the team alone fits");
        assert_eq!((membership.team_id(), membership.org_id()), (Some(team.id), None));
    }

    #[test]
    fn unknown_teams_and_organisations_are_named_once() {
        let officer = AccountForm { team_id: Some(TeamId::new_v7()), ..form(Role::Officer) };
        let errors = check_account(&officer, &[], &[]).unwrap_err();
        assert_eq!(errors.errors.len(), 1, "{errors:?}");
        assert_eq!(errors.for_field("team_id"), Some(&Problem::UnknownCode));
        let partner = AccountForm { org_id: Some(OrgId::new_v7()), ..form(Role::Partner) };
        assert_eq!(check_account(&partner, &[], &[]).unwrap_err().for_field("org_id"), Some(&Problem::UnknownCode));
    }

    #[test]
    fn usernames_are_plain() {
        let bad = AccountForm { username: "agent kiel<script>".into(), ..form(Role::Admin) };
        assert_eq!(check_account(&bad, &[], &[]).unwrap_err().for_field("username"), Some(&Problem::Malformed));
    }
}
