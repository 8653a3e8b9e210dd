//! The authorization matrix over real HTTP: every role × every kind of resource ×
//! every action, on both stores. The expected outcome of each cell is written out below
//! — not computed from `domain::policy::decide` — so the table documents the rules and
//! a change to the policy that breaks one shows up here as a named cell.
//!
//! Each person acts within their own reach (their team, their organisation, what was
//! referred to them: the most the rules give them); a second table checks that the
//! same requests on another team's or organisation's records are refused.
//!
//! The rules, in words: officers log contacts and signals and read their team's; team
//! leads do all that and manage their team's members and phones and read its access
//! log; intervention officers read their team's contacts (not the notes) and signals;
//! partners file signals and read their own organisation's, never a police contact,
//! and see who read their signals; city services read and update what was referred to
//! them, nothing else; the admin runs accounts, teams, organisations and phones and
//! reads access logs, but never a contact or a signal.

#[path = "support/probes.rs"]
mod probes;
mod support;

use domain::policy::Action::{self, *};
use domain::Role::{self, *};
use probes::Expect::{self, *};
use probes::Kind::{self, *};
use support::{Backend, TestDb};

/// (who, what, which action, what the server must answer), for records within reach.
#[rustfmt::skip]
const MATRIX: [(Role, Kind, Action, Expect); 210] = [
    (Officer, Contact, Create, Allow),
    (Officer, Contact, Read, Allow),
    (Officer, Contact, ReadPersonal, Allow),
    (Officer, Contact, Update, NotApplicable),
    (Officer, Contact, Manage, NotApplicable),
    (Officer, Signal, Create, Allow),
    (Officer, Signal, Read, Allow),
    (Officer, Signal, ReadPersonal, Allow),
    (Officer, Signal, Update, Allow),
    (Officer, Signal, Manage, NotApplicable),
    (Officer, User, Create, Forbidden),
    (Officer, User, Read, Allow),
    (Officer, User, ReadPersonal, NotApplicable),
    (Officer, User, Update, Forbidden),
    (Officer, User, Manage, Forbidden),
    (Officer, Team, Create, Forbidden),
    (Officer, Team, Read, Allow),
    (Officer, Team, ReadPersonal, NotApplicable),
    (Officer, Team, Update, NotApplicable),
    (Officer, Team, Manage, NotApplicable),
    (Officer, Organisation, Create, Forbidden),
    (Officer, Organisation, Read, Allow),
    (Officer, Organisation, ReadPersonal, NotApplicable),
    (Officer, Organisation, Update, NotApplicable),
    (Officer, Organisation, Manage, NotApplicable),
    (Officer, Device, Create, Allow),
    (Officer, Device, Read, Forbidden),
    (Officer, Device, ReadPersonal, NotApplicable),
    (Officer, Device, Update, NotApplicable),
    (Officer, Device, Manage, Forbidden),
    (Officer, AccessLog, Create, NotApplicable),
    (Officer, AccessLog, Read, Forbidden),
    (Officer, AccessLog, ReadPersonal, NotApplicable),
    (Officer, AccessLog, Update, NotApplicable),
    (Officer, AccessLog, Manage, NotApplicable),

    (TeamLead, Contact, Create, Allow),
    (TeamLead, Contact, Read, Allow),
    (TeamLead, Contact, ReadPersonal, Allow),
    (TeamLead, Contact, Update, NotApplicable),
    (TeamLead, Contact, Manage, NotApplicable),
    (TeamLead, Signal, Create, Allow),
    (TeamLead, Signal, Read, Allow),
    (TeamLead, Signal, ReadPersonal, Allow),
    (TeamLead, Signal, Update, Allow),
    (TeamLead, Signal, Manage, NotApplicable),
    (TeamLead, User, Create, Allow),
    (TeamLead, User, Read, Allow),
    (TeamLead, User, ReadPersonal, NotApplicable),
    (TeamLead, User, Update, Allow),
    (TeamLead, User, Manage, Allow),
    (TeamLead, Team, Create, Forbidden),
    (TeamLead, Team, Read, Allow),
    (TeamLead, Team, ReadPersonal, NotApplicable),
    (TeamLead, Team, Update, NotApplicable),
    (TeamLead, Team, Manage, NotApplicable),
    (TeamLead, Organisation, Create, Forbidden),
    (TeamLead, Organisation, Read, Allow),
    (TeamLead, Organisation, ReadPersonal, NotApplicable),
    (TeamLead, Organisation, Update, NotApplicable),
    (TeamLead, Organisation, Manage, NotApplicable),
    (TeamLead, Device, Create, Allow),
    (TeamLead, Device, Read, Allow),
    (TeamLead, Device, ReadPersonal, NotApplicable),
    (TeamLead, Device, Update, NotApplicable),
    (TeamLead, Device, Manage, Allow),
    (TeamLead, AccessLog, Create, NotApplicable),
    (TeamLead, AccessLog, Read, Allow),
    (TeamLead, AccessLog, ReadPersonal, NotApplicable),
    (TeamLead, AccessLog, Update, NotApplicable),
    (TeamLead, AccessLog, Manage, NotApplicable),

    (InterventionOfficer, Contact, Create, Forbidden),
    (InterventionOfficer, Contact, Read, Allow),
    (InterventionOfficer, Contact, ReadPersonal, Redacted),
    (InterventionOfficer, Contact, Update, NotApplicable),
    (InterventionOfficer, Contact, Manage, NotApplicable),
    (InterventionOfficer, Signal, Create, Forbidden),
    (InterventionOfficer, Signal, Read, Allow),
    (InterventionOfficer, Signal, ReadPersonal, Allow),
    (InterventionOfficer, Signal, Update, Forbidden),
    (InterventionOfficer, Signal, Manage, NotApplicable),
    (InterventionOfficer, User, Create, Forbidden),
    (InterventionOfficer, User, Read, Allow),
    (InterventionOfficer, User, ReadPersonal, NotApplicable),
    (InterventionOfficer, User, Update, Forbidden),
    (InterventionOfficer, User, Manage, Forbidden),
    (InterventionOfficer, Team, Create, Forbidden),
    (InterventionOfficer, Team, Read, Allow),
    (InterventionOfficer, Team, ReadPersonal, NotApplicable),
    (InterventionOfficer, Team, Update, NotApplicable),
    (InterventionOfficer, Team, Manage, NotApplicable),
    (InterventionOfficer, Organisation, Create, Forbidden),
    (InterventionOfficer, Organisation, Read, Allow),
    (InterventionOfficer, Organisation, ReadPersonal, NotApplicable),
    (InterventionOfficer, Organisation, Update, NotApplicable),
    (InterventionOfficer, Organisation, Manage, NotApplicable),
    (InterventionOfficer, Device, Create, Allow),
    (InterventionOfficer, Device, Read, Forbidden),
    (InterventionOfficer, Device, ReadPersonal, NotApplicable),
    (InterventionOfficer, Device, Update, NotApplicable),
    (InterventionOfficer, Device, Manage, Forbidden),
    (InterventionOfficer, AccessLog, Create, NotApplicable),
    (InterventionOfficer, AccessLog, Read, Forbidden),
    (InterventionOfficer, AccessLog, ReadPersonal, NotApplicable),
    (InterventionOfficer, AccessLog, Update, NotApplicable),
    (InterventionOfficer, AccessLog, Manage, NotApplicable),

    (Partner, Contact, Create, Hidden),
    (Partner, Contact, Read, Hidden),
    (Partner, Contact, ReadPersonal, Hidden),
    (Partner, Contact, Update, NotApplicable),
    (Partner, Contact, Manage, NotApplicable),
    (Partner, Signal, Create, Allow),
    (Partner, Signal, Read, Allow),
    (Partner, Signal, ReadPersonal, Allow),
    (Partner, Signal, Update, Forbidden),
    (Partner, Signal, Manage, NotApplicable),
    (Partner, User, Create, Forbidden),
    (Partner, User, Read, Unlisted),
    (Partner, User, ReadPersonal, NotApplicable),
    (Partner, User, Update, Forbidden),
    (Partner, User, Manage, Forbidden),
    (Partner, Team, Create, Forbidden),
    (Partner, Team, Read, Unlisted),
    (Partner, Team, ReadPersonal, NotApplicable),
    (Partner, Team, Update, NotApplicable),
    (Partner, Team, Manage, NotApplicable),
    (Partner, Organisation, Create, Forbidden),
    (Partner, Organisation, Read, Allow),
    (Partner, Organisation, ReadPersonal, NotApplicable),
    (Partner, Organisation, Update, NotApplicable),
    (Partner, Organisation, Manage, NotApplicable),
    (Partner, Device, Create, Allow),
    (Partner, Device, Read, Forbidden),
    (Partner, Device, ReadPersonal, NotApplicable),
    (Partner, Device, Update, NotApplicable),
    (Partner, Device, Manage, Forbidden),
    (Partner, AccessLog, Create, NotApplicable),
    (Partner, AccessLog, Read, Allow),
    (Partner, AccessLog, ReadPersonal, NotApplicable),
    (Partner, AccessLog, Update, NotApplicable),
    (Partner, AccessLog, Manage, NotApplicable),

    (CityService, Contact, Create, Hidden),
    (CityService, Contact, Read, Hidden),
    (CityService, Contact, ReadPersonal, Hidden),
    (CityService, Contact, Update, NotApplicable),
    (CityService, Contact, Manage, NotApplicable),
    (CityService, Signal, Create, Forbidden),
    (CityService, Signal, Read, Allow),
    (CityService, Signal, ReadPersonal, Allow),
    (CityService, Signal, Update, Allow),
    (CityService, Signal, Manage, NotApplicable),
    (CityService, User, Create, Forbidden),
    (CityService, User, Read, Unlisted),
    (CityService, User, ReadPersonal, NotApplicable),
    (CityService, User, Update, Forbidden),
    (CityService, User, Manage, Forbidden),
    (CityService, Team, Create, Forbidden),
    (CityService, Team, Read, Unlisted),
    (CityService, Team, ReadPersonal, NotApplicable),
    (CityService, Team, Update, NotApplicable),
    (CityService, Team, Manage, NotApplicable),
    (CityService, Organisation, Create, Forbidden),
    (CityService, Organisation, Read, Allow),
    (CityService, Organisation, ReadPersonal, NotApplicable),
    (CityService, Organisation, Update, NotApplicable),
    (CityService, Organisation, Manage, NotApplicable),
    (CityService, Device, Create, Allow),
    (CityService, Device, Read, Forbidden),
    (CityService, Device, ReadPersonal, NotApplicable),
    (CityService, Device, Update, NotApplicable),
    (CityService, Device, Manage, Forbidden),
    (CityService, AccessLog, Create, NotApplicable),
    (CityService, AccessLog, Read, Forbidden),
    (CityService, AccessLog, ReadPersonal, NotApplicable),
    (CityService, AccessLog, Update, NotApplicable),
    (CityService, AccessLog, Manage, NotApplicable),

    (Admin, Contact, Create, Hidden),
    (Admin, Contact, Read, Hidden),
    (Admin, Contact, ReadPersonal, Hidden),
    (Admin, Contact, Update, NotApplicable),
    (Admin, Contact, Manage, NotApplicable),
    (Admin, Signal, Create, Forbidden),
    (Admin, Signal, Read, Forbidden),
    (Admin, Signal, ReadPersonal, Forbidden),
    (Admin, Signal, Update, Forbidden),
    (Admin, Signal, Manage, NotApplicable),
    (Admin, User, Create, Allow),
    (Admin, User, Read, Allow),
    (Admin, User, ReadPersonal, NotApplicable),
    (Admin, User, Update, Allow),
    (Admin, User, Manage, Allow),
    (Admin, Team, Create, Allow),
    (Admin, Team, Read, Allow),
    (Admin, Team, ReadPersonal, NotApplicable),
    (Admin, Team, Update, NotApplicable),
    (Admin, Team, Manage, NotApplicable),
    (Admin, Organisation, Create, Allow),
    (Admin, Organisation, Read, Allow),
    (Admin, Organisation, ReadPersonal, NotApplicable),
    (Admin, Organisation, Update, NotApplicable),
    (Admin, Organisation, Manage, NotApplicable),
    (Admin, Device, Create, Allow),
    (Admin, Device, Read, Allow),
    (Admin, Device, ReadPersonal, NotApplicable),
    (Admin, Device, Update, NotApplicable),
    (Admin, Device, Manage, Allow),
    (Admin, AccessLog, Create, NotApplicable),
    (Admin, AccessLog, Read, Allow),
    (Admin, AccessLog, ReadPersonal, NotApplicable),
    (Admin, AccessLog, Update, NotApplicable),
    (Admin, AccessLog, Manage, NotApplicable),
];

/// The same requests aimed at another team's or organisation's records.
#[rustfmt::skip]
const ELSEWHERE: [(Role, Kind, Action, Expect); 22] = [
    (Officer, Contact, Create, Hidden),
    (Officer, Contact, Read, Hidden),
    (Officer, Contact, ReadPersonal, Hidden),
    (Officer, Signal, Read, Hidden),
    (Officer, Signal, Update, Hidden),
    (Officer, User, Read, Unlisted),
    (TeamLead, Contact, Read, Hidden),
    (TeamLead, Signal, Update, Hidden),
    (TeamLead, User, Read, Unlisted),
    (TeamLead, User, Update, Forbidden),
    (TeamLead, User, Manage, Forbidden),
    (TeamLead, Team, Read, Unlisted),
    (TeamLead, Device, Read, Forbidden),
    (TeamLead, Device, Manage, Forbidden),
    (TeamLead, AccessLog, Read, Forbidden),
    (InterventionOfficer, Contact, Read, Hidden),
    (InterventionOfficer, Signal, Read, Hidden),
    (Partner, Signal, Read, Hidden),
    (Partner, Signal, Update, Hidden),
    (Partner, Organisation, Read, Unlisted),
    (Partner, AccessLog, Read, Forbidden),
    (CityService, Signal, Read, Hidden),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_matrix() {
    support::run(Backend::Sqlite, matrix).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_matrix() {
    support::run(Backend::Postgres, matrix).await;
}

#[test]
fn the_table_covers_every_cell_once() {
    let roles = [Officer, TeamLead, InterventionOfficer, Partner, CityService, Admin];
    let kinds = [Contact, Signal, User, Team, Organisation, Device, AccessLog];
    for role in roles {
        for kind in kinds {
            for action in Action::ALL {
                let rows = MATRIX.iter().filter(|(r, k, a, _)| (*r, *k, *a) == (role, kind, action)).count();
                assert_eq!(rows, 1, "{role:?} × {kind:?} × {action:?}");
            }
        }
    }
}

async fn matrix(db: std::sync::Arc<TestDb>) {
    let server = db.server().await;
    let people = probes::world(&server).await;
    let mut lines = Vec::new();
    let mut wrong = Vec::new();
    for (table, rows, elsewhere) in [("own", &MATRIX[..], false), ("elsewhere", &ELSEWHERE[..], true)] {
        for &(role, kind, action, expected) in rows {
            let person = people.iter().find(|p| p.role == role).expect("a person of every role");
            let targets = if elsewhere { &person.elsewhere } else { &person.own };
            let seen = probes::probe(&server, person, targets, kind, action, table).await;
            let ok = seen.as_ref() == Ok(&expected);
            let seen = match seen {
                Ok(outcome) => format!("{outcome:?}"),
                Err(odd) => format!("unexpected: {odd}"),
            };
            let line = format!(
                "{table:<9} {role:<20} {kind:<12} {action:<13} {expected:<14} {seen}",
                role = format!("{role:?}"),
                kind = format!("{kind:?}"),
                action = format!("{action:?}"),
                expected = format!("{expected:?}")
            );
            if !ok {
                wrong.push(line.clone());
            }
            lines.push(format!("{} {line}", if ok { "ok  " } else { "FAIL" }));
        }
    }
    println!(
        "authorization matrix on {:?}:\n     {:<9} {:<20} {:<12} {:<13} {:<14} seen\n{}",
        db.backend,
        "scope",
        "role",
        "kind",
        "action",
        "expected",
        lines.join("\n")
    );
    assert!(
        wrong.is_empty(),
        "{} cell(s) differ from the table on {:?}:\n{}",
        wrong.len(),
        db.backend,
        wrong.join("\n")
    );
}
