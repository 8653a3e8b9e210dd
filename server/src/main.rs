//! `wijkpost`: serves the app. Configuration: see `server::config`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match server::config::Config::load() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("wijkpost: configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    server::telemetry::init(&config);
    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "wijkpost stopped");
            eprintln!("wijkpost: {err}");
            ExitCode::FAILURE
        }
    }
}
