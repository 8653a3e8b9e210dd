//! Districts, teams, neighbourhoods, organisations, users and sessions: the writes
//! with more than one value to bind (the one-line reads are in the `Store` impl).

use domain::{District, Neighbourhood, PartnerOrganisation, Team, User};

use super::PostgresStore;
use crate::rows;
use crate::sql;
use crate::{Session, StoreError};

pub(super) async fn insert_district(db: &PostgresStore, d: &District) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_DISTRICT).bind(d.id).bind(&d.name);
    db.write(query, || format!("district {:?}", d.name)).await.map(|_| ())
}

pub(super) async fn insert_team(db: &PostgresStore, t: &Team) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_TEAM).bind(t.id).bind(t.district_id).bind(&t.name);
    db.write(query, || format!("team {:?}", t.name)).await.map(|_| ())
}

pub(super) async fn insert_neighbourhood(db: &PostgresStore, n: &Neighbourhood) -> Result<(), StoreError> {
    let query =
        sqlx::query(sql::INSERT_NEIGHBOURHOOD).bind(n.id).bind(n.district_id).bind(&n.name).bind(&n.boundary_geojson);
    db.write(query, || format!("neighbourhood {:?}", n.name)).await.map(|_| ())
}

pub(super) async fn insert_partner_organisation(db: &PostgresStore, o: &PartnerOrganisation) -> Result<(), StoreError> {
    let query =
        sqlx::query(sql::INSERT_PARTNER_ORGANISATION).bind(o.id).bind(&o.name).bind(o.kind.code()).bind(o.district_id);
    db.write(query, || format!("partner organisation {:?}", o.name)).await.map(|_| ())
}

pub(super) async fn insert_user(db: &PostgresStore, u: &User, password_hash: &str) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_USER)
        .bind(u.id)
        .bind(&u.username)
        .bind(rows::username_key(&u.username))
        .bind(&u.display_name)
        .bind(password_hash)
        .bind(u.role.code())
        .bind(u.team_id)
        .bind(u.partner_org_id);
    db.write(query, || format!("user {:?}", u.username)).await.map(|_| ())
}

pub(super) async fn update_user(db: &PostgresStore, u: &User) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::UPDATE_USER)
        .bind(u.id)
        .bind(&u.display_name)
        .bind(u.role.code())
        .bind(u.team_id)
        .bind(u.partner_org_id);
    Ok(db.write(query, || format!("user {:?}", u.username)).await? > 0)
}

pub(super) async fn insert_session(db: &PostgresStore, s: &Session) -> Result<(), StoreError> {
    let query =
        sqlx::query(sql::INSERT_SESSION).bind(&s.token_hash).bind(s.user_id).bind(s.created_at).bind(s.expires_at);
    db.write(query, || "session".to_owned()).await.map(|_| ())
}
