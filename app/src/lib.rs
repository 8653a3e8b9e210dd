//! Wijkpost's user interface: the HTML shell, the routes, and the server functions the
//! pages call. Built twice: with `ssr` into the server, with `hydrate` into the browser.

pub mod components;
pub mod error;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod phone;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::Header;
use crate::i18n::{provide_locale, Locale};
use crate::pages::{
    AccessLogPage, AdminPage, ContactsPage, HomePage, LoginPage, NotFound, OutboxPage, PasswordPage, SignalsPage,
    TeamMembersPage, TeamPage, TeamPhonesPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = current_locale().tag();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#17324d" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <AutoReload options=options.clone() />
                <BundleTags />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet and the hydration script, with the bundle's content hash in their
/// URLs. Written by hand rather than with Leptos's `HydrationScripts` because that
/// component can only add hashes through cargo-leptos, which the project's own build
/// does not need (see scripts/build-site.sh). The boot script is inline, so it carries
/// the request's nonce: the Content-Security-Policy runs no inline script without it
/// (server/src/edge/headers.rs).
#[component]
fn BundleTags() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let version = use_context::<ssr::AppState>().map(|s| s.asset_version.to_string()).unwrap_or_else(|| "dev".into());
    #[cfg(not(feature = "ssr"))]
    let version = String::from("dev");
    let css = format!("/pkg/wijkpost.css?v={version}");
    let js = format!("/pkg/wijkpost.js?v={version}");
    let wasm = format!("/pkg/wijkpost_bg.wasm?v={version}");
    let boot = format!(
        "import init, {{ hydrate }} from '{js}';\
         init({{ module_or_path: '{wasm}' }}).then(() => hydrate());"
    );
    view! {
        <link rel="stylesheet" href=css />
        <link rel="modulepreload" href=js />
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=leptos::nonce::use_nonce() inner_html=boot></script>
    }
}

/// The request's language on the server; on the browser, the one the server chose.
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().map(|parts| ssr::locale_of(&parts.headers)).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|tag| Locale::from_tag(&tag))
            .unwrap_or_default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = current_locale();
    provide_locale(locale);
    components::provide_session();
    phone::provide_phone();
    let m = locale.messages();

    // Every route waits for its data before sending HTML: with JavaScript off the page
    // must arrive whole, since streamed fragments need a script to be put in place.
    view! {
        <Title text=m.app_name />
        <Router>
            <a class="skip-link" href="#main">{m.skip_to_content}</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/contacts") view=ContactsPage ssr=SsrMode::Async />
                    <Route path=path!("/signals") view=SignalsPage ssr=SsrMode::Async />
                    <Route path=path!("/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/team") view=TeamPage ssr=SsrMode::Async />
                    <Route path=path!("/team/members") view=TeamMembersPage ssr=SsrMode::Async />
                    <Route path=path!("/team/phones") view=TeamPhonesPage ssr=SsrMode::Async />
                    <Route path=path!("/access-log") view=AccessLogPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/password/:token") view=PasswordPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
