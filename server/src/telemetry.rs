//! Logs through `tracing`; `RUST_LOG` picks what is shown (default: info).

use tracing_subscriber::EnvFilter;

use crate::config::Config;

pub fn init(config: &Config) {
    // One-time password links are logged at debug level: shown in development (demo
    // data), kept out of production logs where they would be live credentials.
    let default = if config.demo_data {
        "info,sqlx=warn,tower_http=info,app::server_fns::admin=debug,server::api::accounts=debug"
    } else {
        "info,sqlx=warn,tower_http=info"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // A second init (as in tests) is harmless: the first subscriber stays.
    let _ = if config.log_format == "json" { builder.json().try_init() } else { builder.try_init() };
}
