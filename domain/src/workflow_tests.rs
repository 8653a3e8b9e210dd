use chrono::TimeZone;

use super::*;

fn signal() -> RecordId {
    RecordId::from(uuid::Uuid::from_u128(1))
}

fn org(n: u128) -> OrgId {
    OrgId::from(uuid::Uuid::from_u128(100 + n))
}

fn team(from: WorkflowStatus, requested: Move) -> Result<WorkflowStatus, MoveRefused> {
    check_move(signal(), from, None, Mover::Team, &requested)
}

#[test]
fn the_main_road_is_allowed_to_the_team() {
    assert_eq!(team(S::New, Move::Acknowledge), Ok(S::Acknowledged));
    assert_eq!(team(S::Acknowledged, Move::Refer { org_id: org(1) }), Ok(S::Referred));
    assert_eq!(team(S::Referred, Move::Start), Ok(S::InProgress));
    assert_eq!(team(S::InProgress, Move::Resolve), Ok(S::Resolved));
}

#[test]
fn the_referee_moves_only_its_own_part() {
    let referee = |from, requested: Move| check_move(signal(), from, Some(org(1)), Mover::Referee, &requested);
    assert_eq!(referee(S::Referred, Move::Start), Ok(S::InProgress));
    assert_eq!(referee(S::InProgress, Move::Resolve), Ok(S::Resolved));
    assert_eq!(referee(S::Referred, Move::Resolve), Ok(S::Resolved));
    assert_eq!(referee(S::Referred, Move::Refer { org_id: org(2) }), Err(MoveRefused::TeamOnly));
    assert_eq!(
        referee(S::Referred, Move::CloseWithoutAction { reason: NoActionReason::NotPolice }),
        Err(MoveRefused::TeamOnly)
    );
    assert_eq!(referee(S::Resolved, Move::Reopen), Err(MoveRefused::TeamOnly));
}

#[test]
fn closed_signals_only_reopen() {
    for closed in [S::Resolved, S::Duplicate, S::NoFurtherAction] {
        assert!(is_closed(closed));
        assert_eq!(team(closed, Move::Reopen), Ok(S::Acknowledged));
        assert_eq!(team(closed, Move::Start), Err(MoveRefused::NotAllowed { from: closed, to: S::InProgress }));
        assert_eq!(moves_from(closed, Mover::Team).collect::<Vec<_>>(), vec![S::Acknowledged]);
        assert_eq!(moves_from(closed, Mover::Referee).count(), 0);
    }
}

#[test]
fn new_cannot_be_resolved_without_being_read_or_reopened() {
    assert_eq!(team(S::New, Move::Resolve), Err(MoveRefused::NotAllowed { from: S::New, to: S::Resolved }));
    assert_eq!(
        team(S::New, Move::Reopen),
        Ok(S::Acknowledged),
        "reopening a new signal is acknowledging it: same target, same row of the table"
    );
}

#[test]
fn every_status_can_be_left_and_none_is_a_dead_end() {
    for from in WorkflowStatus::all() {
        assert!(moves_from(from, Mover::Team).count() > 0, "{from} is a dead end");
    }
}

#[test]
fn moves_name_what_they_need() {
    assert_eq!(team(S::New, Move::MarkDuplicate { original: signal() }), Err(MoveRefused::DuplicateOfItself));
    let other = RecordId::from(uuid::Uuid::from_u128(2));
    assert_eq!(team(S::New, Move::MarkDuplicate { original: other }), Ok(S::Duplicate));
    assert_eq!(
        check_move(signal(), S::Referred, Some(org(1)), Mover::Team, &Move::Refer { org_id: org(1) }),
        Err(MoveRefused::SameReferee)
    );
    assert_eq!(
        check_move(signal(), S::Referred, Some(org(1)), Mover::Team, &Move::Refer { org_id: org(2) }),
        Ok(S::Referred)
    );
}

#[test]
fn the_table_has_no_twice_listed_move() {
    for (i, (f, t, _)) in TRANSITIONS.iter().enumerate() {
        assert!(!TRANSITIONS[i + 1..].iter().any(|(f2, t2, _)| f2 == f && t2 == t), "{f} → {t} twice");
    }
}

#[test]
fn moves_travel_as_tagged_json() {
    let json = serde_json::to_string(&Move::CloseWithoutAction { reason: NoActionReason::NotPolice }).unwrap();
    assert_eq!(json, r#"{"to":"close_without_action","reason":"not_police"}"#);
    assert_eq!(serde_json::from_str::<Move>(&json).unwrap().target(), S::NoFurtherAction);
}

#[test]
fn old_statuses_migrate() {
    assert_eq!(migrate(SignalStatus::Open, None), S::New);
    assert_eq!(migrate(SignalStatus::InProgress, None), S::InProgress);
    assert_eq!(migrate(SignalStatus::Referred, Some(org(1))), S::Referred);
    assert_eq!(migrate(SignalStatus::Referred, None), S::Acknowledged, "a referral must name to whom");
    assert_eq!(migrate(SignalStatus::Resolved, None), S::Resolved);
}

#[test]
fn a_new_signal_near_a_recently_resolved_one_is_a_recurrence() {
    let resolved_at = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    let problem =
        Resolved { category: SignalCategory::Waste, point: GeoPoint { lat: 51.2170, lon: 4.4210 }, resolved_at };
    let window = Duration::days(DEFAULT_RECURRENCE_DAYS);
    // About 33 m north (0.0003° of latitude).
    let near = GeoPoint { lat: 51.2173, lon: 4.4210 };
    // About 78 m north.
    let far = GeoPoint { lat: 51.2177, lon: 4.4210 };
    let later = |days| resolved_at + Duration::days(days);
    assert!(is_recurrence(&problem, SignalCategory::Waste, &near, later(29), window));
    assert!(is_recurrence(&problem, SignalCategory::Waste, &near, later(30), window), "the 30th day counts");
    assert!(!is_recurrence(&problem, SignalCategory::Waste, &near, later(31), window));
    assert!(!is_recurrence(&problem, SignalCategory::Waste, &far, later(1), window));
    assert!(!is_recurrence(&problem, SignalCategory::Noise, &near, later(1), window));
    assert!(!is_recurrence(&problem, SignalCategory::Waste, &near, resolved_at - Duration::hours(1), window));
}
