//! Districts, teams, neighbourhoods, organisations, users and sessions: the writes
//! with more than one value to bind (the one-line reads are in the `Store` impl).

use domain::{District, Neighbourhood, PartnerOrganisation, Team, User};

use super::{id, moment, opt_id, SqliteStore};
use crate::rows;
use crate::sql;
use crate::{Session, StoreError};

pub(super) async fn insert_district(db: &SqliteStore, d: &District) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_DISTRICT).bind(id(d.id)).bind(&d.name);
    db.write(query, || format!("district {:?}", d.name)).await.map(|_| ())
}

pub(super) async fn insert_team(db: &SqliteStore, t: &Team) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_TEAM).bind(id(t.id)).bind(id(t.district_id)).bind(&t.name);
    db.write(query, || format!("team {:?}", t.name)).await.map(|_| ())
}

pub(super) async fn insert_neighbourhood(db: &SqliteStore, n: &Neighbourhood) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_NEIGHBOURHOOD)
        .bind(id(n.id))
        .bind(id(n.district_id))
        .bind(&n.name)
        .bind(&n.boundary_geojson);
    db.write(query, || format!("neighbourhood {:?}", n.name)).await.map(|_| ())
}

pub(super) async fn insert_partner_organisation(db: &SqliteStore, o: &PartnerOrganisation) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_PARTNER_ORGANISATION)
        .bind(id(o.id))
        .bind(&o.name)
        .bind(o.kind.code())
        .bind(opt_id(o.district_id));
    db.write(query, || format!("partner organisation {:?}", o.name)).await.map(|_| ())
}

pub(super) async fn insert_user(db: &SqliteStore, u: &User, password_hash: &str) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_USER)
        .bind(id(u.id))
        .bind(&u.username)
        .bind(rows::username_key(&u.username))
        .bind(&u.display_name)
        .bind(password_hash)
        .bind(u.role.code())
        .bind(opt_id(u.team_id))
        .bind(opt_id(u.partner_org_id));
    db.write(query, || format!("user {:?}", u.username)).await.map(|_| ())
}

pub(super) async fn update_user(db: &SqliteStore, u: &User) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::UPDATE_USER)
        .bind(id(u.id))
        .bind(&u.display_name)
        .bind(u.role.code())
        .bind(opt_id(u.team_id))
        .bind(opt_id(u.partner_org_id));
    Ok(db.write(query, || format!("user {:?}", u.username)).await? > 0)
}

pub(super) async fn insert_session(db: &SqliteStore, s: &Session) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_SESSION)
        .bind(&s.token_hash)
        .bind(id(s.user_id))
        .bind(moment(s.created_at))
        .bind(moment(s.expires_at));
    db.write(query, || "session".to_owned()).await.map(|_| ())
}
