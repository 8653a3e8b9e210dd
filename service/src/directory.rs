//! The city's structure as the screens need it (districts, neighbourhoods, a team's
//! figures) and the store's health. Districts and neighbourhoods are public facts
//! (the public pages name them); a team's figures are the team's.

use domain::area::{Area, MappedNeighbourhood, StreetLine};
use domain::{District, Neighbourhood};

use crate::{authorize, Action, Actor, Resource, ServiceError, Services};

/// How many contacts and signals a team has on record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TeamFigures {
    pub contacts: i64,
    pub signals: i64,
}

/// Whether the store answers, for `/readyz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    /// "sqlite" or "postgres".
    pub backend: String,
    pub reachable: Result<(), String>,
}

impl Services {
    pub async fn districts(&self) -> Result<Vec<District>, ServiceError> {
        Ok(self.store.districts().await?)
    }

    /// Every neighbourhood of the city (partners file signals city-wide).
    pub async fn neighbourhoods(&self) -> Result<Vec<Neighbourhood>, ServiceError> {
        Ok(self.store.neighbourhoods().await?)
    }

    /// The neighbourhoods of the actor's own team; none without a team.
    pub async fn team_neighbourhoods(&self, actor: &Actor) -> Result<Vec<Neighbourhood>, ServiceError> {
        let Some(team_id) = actor.team_id else { return Ok(Vec::new()) };
        authorize(actor, Action::Read, &Resource::Team { team_id })?;
        Ok(self.store.neighbourhoods_of_team(team_id).await?)
    }

    /// Where the actor may file a signal: their team's neighbourhoods (police), every
    /// neighbourhood (partners, who work across the city), or `None` for those who may
    /// not file signals at all.
    pub async fn signal_neighbourhoods(&self, actor: &Actor) -> Result<Option<Vec<Neighbourhood>>, ServiceError> {
        if !domain::capabilities(actor).file_signals {
            return Ok(None);
        }
        match actor.team_id {
            Some(_) => self.team_neighbourhoods(actor).await.map(Some),
            None => self.neighbourhoods().await.map(Some),
        }
    }

    /// The map "use my location" works from on the phone: each of `neighbourhoods`
    /// (those the actor's form offers) with its boundary and known streets. Public
    /// facts like the names; a boundary or street that does not parse is left out
    /// (the person then picks by hand) rather than failing the form.
    pub async fn place_map(
        &self,
        actor: &Actor,
        neighbourhoods: &[Neighbourhood],
    ) -> Result<Vec<MappedNeighbourhood>, ServiceError> {
        let streets = self.store.streets(actor.team_id).await?;
        Ok(neighbourhoods
            .iter()
            .filter_map(|n| {
                let area = Area::from_geojson(&n.boundary_geojson).ok()?;
                let streets = streets
                    .iter()
                    .filter(|s| s.neighbourhood_id == n.id)
                    .filter_map(|s| StreetLine::from_street(s).ok())
                    .collect();
                Some(MappedNeighbourhood { id: n.id, area, streets })
            })
            .collect())
    }

    /// The actor's team's figures; zeros without a team.
    pub async fn team_figures(&self, actor: &Actor) -> Result<TeamFigures, ServiceError> {
        let Some(team_id) = actor.team_id else { return Ok(TeamFigures::default()) };
        authorize(actor, Action::Read, &Resource::Team { team_id })?;
        Ok(TeamFigures {
            contacts: self.store.count_contacts(Some(team_id)).await?,
            signals: self.store.count_signals(Some(team_id)).await?,
        })
    }

    /// Whether the store answers within `limit`.
    pub async fn readiness(&self, limit: std::time::Duration) -> Readiness {
        let backend = format!("{:?}", self.store.backend()).to_lowercase();
        let reachable = match tokio::time::timeout(limit, self.store.ping()).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "readiness: database not reachable");
                Err("database not reachable".to_owned())
            }
            Err(_) => Err(format!("database did not answer within {} s", limit.as_secs())),
        };
        Readiness { backend, reachable }
    }
}
