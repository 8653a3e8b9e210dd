use leptos::prelude::*;

use crate::i18n::{use_i18n, Label, Messages};
use crate::model::{AccessRow, ReadRecordRow, SyncedWhat};

/// Who was shown which personal-data fields, newest first: one line per screen. On a
/// phone the rows become cards, each value under its column's name (`data-label`,
/// style/main.css), so no column is cut off.
#[component]
pub fn AccessLogTable(rows: Vec<AccessRow>) -> impl IntoView {
    let m = use_i18n();
    if rows.is_empty() {
        return view! { <p>{m.access_log_empty}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=m.access_log_title>
            <table class="table cards" data-testid="access-log">
                <thead>
                    <tr><th scope="col">{m.col_when}</th><th scope="col">{m.col_who}</th><th scope="col">{m.col_what}</th><th scope="col">{m.col_where}</th></tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td data-label=m.col_when>{r.at_local}</td>
                            <td data-label=m.col_who>{r.reader}</td>
                            <td data-label=m.col_what>
                                {r.shown.iter().map(|s| (m.access_shown)(&s.kind, &s.field, s.records)).collect::<Vec<_>>().join("; ")}
                                {(!r.read.is_empty()).then(|| view! {
                                    <ul class="read-records" data-testid="read-records">
                                        {r.read.iter().map(|record| view! { <li>{record_line(m, record)}</li> }).collect_view()}
                                    </ul>
                                })}
                            </td>
                            <td data-label=m.col_where data-purpose=r.purpose.clone()>{(m.screen_name)(&r.purpose)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// "Afval en sluikstort · Kiel · 1 dec 2026, 07:50": what was read, where, when.
fn record_line(m: &Messages, record: &ReadRecordRow) -> String {
    let what = match record.what {
        SyncedWhat::Contact(kind) => (m.label)(Label::Kind(kind)),
        SyncedWhat::Signal(category) => (m.label)(Label::Category(category)),
    };
    [what, record.place.as_str(), record.at_local.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}
