//! Districts, teams, neighbourhoods, partner organisations and users: the
//! [`OrganisationStore`] on SQLite.

use async_trait::async_trait;
use domain::{District, Neighbourhood, NeighbourhoodId, PartnerOrganisation, Street, Team, TeamId, User, UserId};

use super::{id, opt_id, SqliteStore};
use crate::rows;
use crate::sql;
use crate::{Credentials, OrganisationStore, StoreError};

#[async_trait]
impl OrganisationStore for SqliteStore {
    async fn insert_district(&self, d: &District) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_DISTRICT).bind(id(d.id)).bind(&d.name);
        self.write(query, || format!("district {:?}", d.name)).await.map(|_| ())
    }

    async fn insert_team(&self, t: &Team) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_TEAM).bind(id(t.id)).bind(id(t.district_id)).bind(&t.name);
        self.write(query, || format!("team {:?}", t.name)).await.map(|_| ())
    }

    async fn insert_neighbourhood(&self, n: &Neighbourhood) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_NEIGHBOURHOOD)
            .bind(id(n.id))
            .bind(id(n.district_id))
            .bind(&n.name)
            .bind(&n.boundary_geojson);
        self.write(query, || format!("neighbourhood {:?}", n.name)).await.map(|_| ())
    }

    async fn insert_partner_organisation(&self, o: &PartnerOrganisation) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_PARTNER_ORGANISATION)
            .bind(id(o.id))
            .bind(&o.name)
            .bind(o.kind.code())
            .bind(opt_id(o.district_id));
        self.write(query, || format!("partner organisation {:?}", o.name)).await.map(|_| ())
    }

    async fn insert_user(&self, u: &User, password_hash: &str) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_USER)
            .bind(id(u.id))
            .bind(&u.username)
            .bind(rows::username_key(&u.username))
            .bind(&u.display_name)
            .bind(password_hash)
            .bind(u.role.code())
            .bind(opt_id(u.team_id))
            .bind(opt_id(u.partner_org_id));
        self.write(query, || format!("user {:?}", u.username)).await.map(|_| ())
    }

    async fn districts(&self) -> Result<Vec<District>, StoreError> {
        self.all(sqlx::query(sql::DISTRICTS), rows::district).await
    }

    async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        self.all(sqlx::query(sql::TEAMS), rows::team).await
    }

    async fn neighbourhoods(&self) -> Result<Vec<Neighbourhood>, StoreError> {
        self.all(sqlx::query(sql::NEIGHBOURHOODS), rows::neighbourhood).await
    }

    async fn neighbourhoods_of_team(&self, team_id: TeamId) -> Result<Vec<Neighbourhood>, StoreError> {
        self.all(sqlx::query(sql::NEIGHBOURHOODS_OF_TEAM).bind(id(team_id)), rows::neighbourhood).await
    }

    async fn neighbourhood(&self, neighbourhood_id: NeighbourhoodId) -> Result<Option<Neighbourhood>, StoreError> {
        self.one(sqlx::query(sql::NEIGHBOURHOOD).bind(id(neighbourhood_id)), rows::neighbourhood).await
    }

    async fn neighbourhood_teams(&self) -> Result<Vec<(NeighbourhoodId, TeamId)>, StoreError> {
        self.all(sqlx::query(sql::NEIGHBOURHOOD_TEAMS), rows::neighbourhood_team).await
    }

    async fn insert_street(&self, street: &Street) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_STREET)
            .bind(id(street.id))
            .bind(id(street.neighbourhood_id))
            .bind(&street.name)
            .bind(&street.line_geojson);
        self.write(query, || format!("street {:?}", street.name)).await.map(|_| ())
    }

    async fn streets(&self, team: Option<TeamId>) -> Result<Vec<Street>, StoreError> {
        match team {
            Some(team_id) => self.all(sqlx::query(sql::STREETS_OF_TEAM).bind(id(team_id)), rows::street).await,
            None => self.all(sqlx::query(sql::STREETS), rows::street).await,
        }
    }

    async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>, StoreError> {
        self.all(sqlx::query(sql::PARTNER_ORGANISATIONS), rows::partner_organisation).await
    }

    async fn user(&self, user_id: UserId) -> Result<Option<User>, StoreError> {
        self.one(sqlx::query(sql::USER).bind(id(user_id)), rows::user).await
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        self.all(sqlx::query(sql::USERS), rows::user).await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let query = sqlx::query(sql::CREDENTIALS).bind(rows::username_key(username));
        self.one(query, rows::credentials).await
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        self.count(sqlx::query(sql::COUNT_USERS)).await
    }

    async fn update_user(&self, u: &User) -> Result<bool, StoreError> {
        let query = sqlx::query(sql::UPDATE_USER)
            .bind(id(u.id))
            .bind(&u.display_name)
            .bind(u.role.code())
            .bind(opt_id(u.team_id))
            .bind(opt_id(u.partner_org_id));
        Ok(self.write(query, || format!("user {:?}", u.username)).await? > 0)
    }

    async fn set_password_hash(&self, user_id: UserId, password_hash: &str) -> Result<bool, StoreError> {
        let query = sqlx::query(sql::SET_PASSWORD_HASH).bind(id(user_id)).bind(password_hash);
        Ok(self.write(query, || format!("password of user {user_id}")).await? > 0)
    }
}
