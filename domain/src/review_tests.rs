use super::*;

fn read(query: &str) -> Result<ReviewFilter, FilterError> {
    let pairs: Vec<(&str, &str)> =
        query.split('&').filter(|p| !p.is_empty()).filter_map(|p| p.split_once('=')).collect();
    ReviewFilter::from_query(pairs)
}

#[test]
fn a_shared_view_reads_back_to_the_same_filter_and_url() {
    let query = "neighbourhood=00000000-0000-0000-0000-000000000007&category=waste&category=noise\
                 &status=new&status=referred&urgency=high&source=police&source=youth_work\
                 &from=2026-11-01&to=2026-11-30&hours=22-6&day=fri&day=sat&recurring=1";
    let filter = read(query).unwrap();
    assert_eq!(filter.categories, vec![SignalCategory::Waste, SignalCategory::Noise]);
    assert_eq!(filter.statuses, vec![WorkflowStatus::New, WorkflowStatus::Referred]);
    assert_eq!(filter.sources, vec![Source::Police, Source::Partner(PartnerKind::YouthWork)]);
    assert_eq!(filter.hours, Some((22, 6)));
    assert_eq!(filter.days, vec![Weekday::Fri, Weekday::Sat]);
    assert!(filter.recurring_only);
    let again: Vec<String> = filter.to_query().iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(again.join("&"), query.replace(' ', ""));
    assert_eq!(read(&again.join("&")).unwrap(), filter);
}

#[test]
fn untouched_form_fields_mean_any_and_foreign_keys_are_ignored() {
    let filter = read("neighbourhood=&category=&hours=&lang=fr&utm_source=mail").unwrap();
    assert_eq!(filter, ReviewFilter::default());
    assert!(filter.to_query().is_empty());
}

#[test]
fn what_cannot_be_read_is_named_not_dropped() {
    assert_eq!(read("status=open").unwrap_err().field, "status", "the old status code is no filter");
    assert_eq!(read("hours=7-7").unwrap_err().field, "hours");
    assert_eq!(read("hours=25-3").unwrap_err().field, "hours");
    assert_eq!(read("day=friday").unwrap_err().field, "day");
    assert_eq!(read("from=2026-13-01").unwrap_err().field, "from");
    assert_eq!(read("neighbourhood=borgerhout").unwrap_err().field, "neighbourhood");
    assert_eq!(read("after=1.x.y").unwrap_err().field, "after");
    let backwards = read("from=2026-12-01&to=2026-11-01").unwrap_err();
    assert_eq!((backwards.field, backwards.value.as_str()), ("to", "2026-11-01"));
}

#[test]
fn hours_run_through_the_night() {
    let night = read("hours=22-6").unwrap();
    assert!(night.admits_hour(22) && night.admits_hour(23) && night.admits_hour(0) && night.admits_hour(5));
    assert!(!night.admits_hour(6) && !night.admits_hour(12) && !night.admits_hour(21));
    let day = read("hours=9-17").unwrap();
    assert!(day.admits_hour(9) && day.admits_hour(16) && !day.admits_hour(17) && !day.admits_hour(8));
    let whole = read("hours=0-24").unwrap();
    assert!((0..24).all(|h| whole.admits_hour(h)));
    assert!((0..24).all(|h| ReviewFilter::default().admits_hour(h)));
}

#[test]
fn the_cursor_survives_the_url_and_the_figures_ignore_it() {
    let id = RecordId::from(uuid::Uuid::from_u128(0xabc));
    let filter = ReviewFilter { after: Some(Cursor { rank: 1, at_ms: 1_764_000_000_000, id }), ..Default::default() };
    let query: Vec<String> = filter.to_query().iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(read(&query.join("&")).unwrap(), filter);
    assert_eq!(filter.first_page().after, None);
}

#[test]
fn urgent_open_items_rank_first() {
    assert_eq!(rank(true, Some(Urgency::High)), 0);
    assert_eq!(rank(true, Some(Urgency::Low)), 1);
    assert_eq!(rank(true, None), 1, "an open contact follow-up has no urgency");
    assert_eq!(rank(false, Some(Urgency::High)), 2);
}
