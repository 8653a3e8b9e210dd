//! The `Host` a request names must be one this server is reached by. A browser tricked
//! by DNS rebinding (an attacker's name pointed at this server) sends the attacker's
//! name as `Host`: refused here, before any page or cookie is looked at.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Refusal;

/// Paths a load balancer or an orchestrator probes by address; they show nothing.
const PROBES: [&str; 2] = ["/healthz", "/readyz"];

/// The host names (`host[:port]`, lower case) this server answers to.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    names: Vec<String>,
    /// Listening on every interface without a public origin (a phone on the LAN trying
    /// the demo): any IP address on this port. An address cannot be rebound by DNS.
    any_address_on_port: Option<u16>,
    /// How people reach the app, for the refusal's sentence.
    public: String,
}

impl AllowedHosts {
    /// `public`: the configured public origin (scheme, host, port), if any; `bound`:
    /// the address the server listens on. The loopback names of the bound port are
    /// always allowed: only a browser on this machine (or a local proxy) sends them.
    pub fn new(public: Option<&url::Url>, bound: SocketAddr) -> Self {
        let port = bound.port();
        let mut names: Vec<String> =
            vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")];
        let mut any_address_on_port = None;
        let shown = match public {
            Some(origin) => {
                let host = origin.host_str().unwrap_or_default().to_ascii_lowercase();
                match origin.port() {
                    // The browser leaves the scheme's own port out of `Host`.
                    None => {
                        names.push(host.clone());
                        if let Some(default) = origin.port_or_known_default() {
                            names.push(format!("{host}:{default}"));
                        }
                    }
                    Some(port) => names.push(format!("{host}:{port}")),
                }
                origin.origin().ascii_serialization()
            }
            None if bound.ip().is_unspecified() => {
                any_address_on_port = Some(port);
                format!("http://127.0.0.1:{port}")
            }
            None => {
                names.push(bound.to_string());
                format!("http://{bound}")
            }
        };
        Self { names, any_address_on_port, public: shown }
    }

    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        if self.names.contains(&host) {
            return true;
        }
        let Some(port) = self.any_address_on_port else { return false };
        host.parse::<SocketAddr>().is_ok_and(|addr| addr.port() == port)
            || host.rsplit_once(':').is_some_and(|(ip, p)| ip.parse::<IpAddr>().is_ok() && p.parse::<u16>() == Ok(port))
    }
}

/// Refuses a request for a host this server is not (400 with a sentence).
pub async fn verify_host(State(allowed): State<Arc<AllowedHosts>>, request: Request, next: Next) -> Response {
    if PROBES.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    // HTTP/1.1 names it in `Host`, HTTP/2 in the request's authority.
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    let words = app::ssr::locale_of(request.headers()).refusals();
    let sentence = match host {
        Some(host) if allowed.allows(&host) => return next.run(request).await,
        Some(host) => (words.wrong_host)(&allowed.public, &host.chars().take(100).collect::<String>()),
        None => words.no_host.to_owned(),
    };
    Refusal::of_status(StatusCode::BAD_REQUEST, sentence).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).expect("a URL")
    }

    #[test]
    fn the_public_origin_and_the_loopback_port_are_allowed() {
        let hosts = AllowedHosts::new(Some(&url("https://Wijkpost.Example")), "127.0.0.1:3000".parse().unwrap());
        assert!(hosts.allows("wijkpost.example"));
        assert!(hosts.allows("WIJKPOST.example:443"));
        assert!(hosts.allows("127.0.0.1:3000"));
        assert!(hosts.allows("localhost:3000"));
        assert!(!hosts.allows("evil.example"));
        assert!(!hosts.allows("wijkpost.example.evil.example"));
        assert!(!hosts.allows("localhost:3001"));
        assert!(!hosts.allows("192.168.1.5:3000"));
    }

    #[test]
    fn without_a_public_origin_the_listen_address() {
        let hosts = AllowedHosts::new(None, "10.0.0.7:8080".parse().unwrap());
        assert!(hosts.allows("10.0.0.7:8080"));
        assert!(hosts.allows("localhost:8080"));
        assert!(!hosts.allows("10.0.0.8:8080"));
        assert!(!hosts.allows("rebound.evil.example:8080"));

        let everywhere = AllowedHosts::new(None, "0.0.0.0:8080".parse().unwrap());
        assert!(everywhere.allows("192.168.1.5:8080"));
        assert!(everywhere.allows("[fe80::1]:8080"));
        assert!(!everywhere.allows("192.168.1.5:9090"));
        assert!(!everywhere.allows("rebound.evil.example:8080"));
    }
}
