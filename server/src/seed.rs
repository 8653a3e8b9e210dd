//! Demo data on a first run, and the demo log-ins printed for whoever started it.

use chrono::{DateTime, Utc};
use store::demo::{demo_accounts, seed_if_empty, DemoAccount, DEMO_PASSWORD};

use crate::ServerError;

/// Seeds an empty store; returns the demo accounts either way (they exist from the first run).
/// The demo's records are spread over the weeks before `now`.
pub async fn seed_demo(store: &dyn store::Store, now: DateTime<Utc>) -> Result<Vec<DemoAccount>, ServerError> {
    let hash = service::secrets::hash_password_blocking(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| ServerError::Seed(e.to_string()))?;
    match seed_if_empty(store, &hash, now).await {
        Ok(Some(_)) => tracing::info!("demo data seeded"),
        Ok(None) => tracing::info!("database already has users; demo data left as it is"),
        Err(err) => return Err(ServerError::Seed(err.to_string())),
    }
    Ok(demo_accounts())
}

pub fn print_demo_accounts(accounts: &[DemoAccount]) {
    println!("\nDemo log-ins (password for all: {DEMO_PASSWORD}):");
    for account in accounts {
        let team = account.team.as_deref().unwrap_or("-");
        println!("  {:<24} {:<22} {:<22} {team}", account.username, account.role.code(), account.display_name);
    }
}
