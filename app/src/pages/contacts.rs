use leptos::prelude::*;

use super::contact_form::ContactForm;
use crate::components::{Refusal, UnsentEntries};
use crate::i18n::{use_i18n, Label};
use crate::model::ContactRow;
use crate::server_fns::contacts::{contacts_page, SaveContact};

/// Log a street contact and see the team's recent ones.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let m = use_i18n();
    let save = ServerAction::<SaveContact>::new();
    // Refetched after every save, so the new contact shows without a reload.
    let page = Resource::new(move || save.version().get(), |_| contacts_page());
    view! {
        <h1>{m.contacts_title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let form = page.can_log.then(|| {
                            view! {
                                <ContactForm save neighbourhoods=page.neighbourhoods now_local=page.now_local map=page.map />
                                <UnsentEntries signals=false />
                            }
                            .into_any()
                        });
                        view! {
                            {form}
                            <RecentContacts rows=page.recent />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <Refusal error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RecentContacts(rows: Vec<ContactRow>) -> impl IntoView {
    let m = use_i18n();
    let empty = rows.is_empty().then(|| view! { <p>{m.contacts_empty}</p> });
    view! {
        <section class="card" aria-labelledby="recent-title">
            <h2 id="recent-title">{m.contacts_recent}</h2>
            {empty}
            <ul class="records" data-testid="contact-list">
                {rows
                    .into_iter()
                    .map(|row| {
                        let summary = format!(
                            "{} · {} → {}",
                            (m.label)(Label::Kind(row.kind)),
                            (m.label)(Label::Reason(row.reason)),
                            (m.label)(Label::Outcome(row.outcome)),
                        );
                        let place = match row.street {
                            Some(street) => format!("{} · {street}", row.neighbourhood),
                            None => row.neighbourhood,
                        };
                        view! {
                            <li data-id=row.id.to_string()>
                                <p class="record-head">
                                    <time>{row.occurred_local}</time>
                                    " · " {(m.label)(Label::Mobility(row.mobility))}
                                </p>
                                <p class="record-title">{summary}</p>
                                <p class="muted">{place}</p>
                                {row.note.map(|note| view! { <p class="record-note">{note}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
