//! What a team lead filters the synced logs by. The filter lives in the URL, so a view
//! can be shared and bookmarked and works as a plain GET form without JavaScript: it
//! is read from the query's pairs and written back to them, and a value that is not
//! understood is reported by name instead of silently dropped (a bookmarked filter that
//! quietly widens would show a team lead the wrong picture).

use chrono::{NaiveDate, Weekday};

use crate::codes::{ContactKind, ContactOutcome, ContactReason, PartnerKind, SignalCategory, Urgency};
use crate::ids::{NeighbourhoodId, RecordId, UserId};
use crate::workflow::WorkflowStatus;

/// Who logged a record: the police, or a partner of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Police,
    Partner(PartnerKind),
}

impl Source {
    fn code(self) -> &'static str {
        match self {
            Source::Police => "police",
            Source::Partner(kind) => kind.code(),
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        (code == "police").then_some(Source::Police).or_else(|| PartnerKind::from_code(code).map(Source::Partner))
    }
}

/// A filter of the review screen; empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    pub neighbourhoods: Vec<NeighbourhoodId>,
    pub categories: Vec<SignalCategory>,
    pub kinds: Vec<ContactKind>,
    pub reasons: Vec<ContactReason>,
    pub outcomes: Vec<ContactOutcome>,
    pub statuses: Vec<WorkflowStatus>,
    pub urgencies: Vec<Urgency>,
    pub author: Option<UserId>,
    pub sources: Vec<Source>,
    /// First and last day, both included, in the city's time.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Hours of the day, `from_hour` included, `to_hour` excluded; 22 to 6 runs
    /// through the night.
    pub hours: Option<(u8, u8)>,
    pub days: Vec<Weekday>,
    pub recurring_only: bool,
    /// Where the previous page ended (keyset paging).
    pub after: Option<Cursor>,
}

/// The last row of a page, in the list's order (urgent open first, then newest):
/// the next page starts after it, however deep, without counting rows to skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub rank: u8,
    /// Milliseconds since 1970 of the record's moment.
    pub at_ms: i64,
    pub id: RecordId,
}

impl Cursor {
    fn code(&self) -> String {
        format!("{}.{}.{}", self.rank, self.at_ms, self.id)
    }

    fn from_code(code: &str) -> Option<Self> {
        let mut parts = code.splitn(3, '.');
        let rank = parts.next()?.parse().ok()?;
        let at_ms = parts.next()?.parse().ok()?;
        let id = parts.next()?.parse().ok()?;
        Some(Cursor { rank, at_ms, id })
    }
}

/// A query value that is not understood, by field name, for the person's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the filter {field} cannot be read: {value}")]
pub struct FilterError {
    pub field: &'static str,
    pub value: String,
}

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

impl ReviewFilter {
    /// Reads the query's pairs (`?neighbourhood=…&status=new&status=referred&hours=22-6`).
    /// A field may repeat; an empty value (an untouched form field) means "any".
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, FilterError> {
        let mut f = ReviewFilter::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let bad = |field: &'static str| FilterError { field, value: value.to_owned() };
            match key {
                "neighbourhood" => f.neighbourhoods.push(value.parse().map_err(|_| bad("neighbourhood"))?),
                "category" => f.categories.push(SignalCategory::from_code(value).ok_or_else(|| bad("category"))?),
                "kind" => f.kinds.push(ContactKind::from_code(value).ok_or_else(|| bad("kind"))?),
                "reason" => f.reasons.push(ContactReason::from_code(value).ok_or_else(|| bad("reason"))?),
                "outcome" => f.outcomes.push(ContactOutcome::from_code(value).ok_or_else(|| bad("outcome"))?),
                "status" => f.statuses.push(WorkflowStatus::from_code(value).ok_or_else(|| bad("status"))?),
                "urgency" => f.urgencies.push(Urgency::from_code(value).ok_or_else(|| bad("urgency"))?),
                "author" => f.author = Some(value.parse().map_err(|_| bad("author"))?),
                "source" => f.sources.push(Source::from_code(value).ok_or_else(|| bad("source"))?),
                "from" => f.from = Some(value.parse().map_err(|_| bad("from"))?),
                "to" => f.to = Some(value.parse().map_err(|_| bad("to"))?),
                "hours" => f.hours = Some(parse_hours(value).ok_or_else(|| bad("hours"))?),
                "day" => {
                    f.days.push(DAYS.iter().find(|(c, _)| *c == value).map(|(_, d)| *d).ok_or_else(|| bad("day"))?)
                }
                "recurring" => f.recurring_only = matches!(value, "1" | "true" | "on"),
                "after" => f.after = Some(Cursor::from_code(value).ok_or_else(|| bad("after"))?),
                // Anything else (a language switch, a tracking parameter) is not ours.
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (f.from, f.to) {
            if from > to {
                return Err(FilterError { field: "to", value: to.to_string() });
            }
        }
        Ok(f)
    }

    /// The filter as query pairs, in a fixed order: the same view has one URL.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q: Vec<(&'static str, String)> = Vec::new();
        q.extend(self.neighbourhoods.iter().map(|n| ("neighbourhood", n.to_string())));
        q.extend(self.categories.iter().map(|c| ("category", c.code().to_owned())));
        q.extend(self.kinds.iter().map(|c| ("kind", c.code().to_owned())));
        q.extend(self.reasons.iter().map(|c| ("reason", c.code().to_owned())));
        q.extend(self.outcomes.iter().map(|c| ("outcome", c.code().to_owned())));
        q.extend(self.statuses.iter().map(|c| ("status", c.code().to_owned())));
        q.extend(self.urgencies.iter().map(|c| ("urgency", c.code().to_owned())));
        q.extend(self.author.map(|a| ("author", a.to_string())));
        q.extend(self.sources.iter().map(|s| ("source", s.code().to_owned())));
        q.extend(self.from.map(|d| ("from", d.to_string())));
        q.extend(self.to.map(|d| ("to", d.to_string())));
        q.extend(self.hours.map(|(a, b)| ("hours", format!("{a}-{b}"))));
        for day in &self.days {
            q.extend(DAYS.iter().find(|(_, d)| d == day).map(|(c, _)| ("day", (*c).to_owned())));
        }
        if self.recurring_only {
            q.push(("recurring", "1".to_owned()));
        }
        q.extend(self.after.map(|c| ("after", c.code())));
        q
    }

    /// True when the hour of the day (0–23, city time) is within the filter's hours.
    pub fn admits_hour(&self, hour: u8) -> bool {
        match self.hours {
            None => true,
            Some((from, to)) if from <= to => (from..to).contains(&hour),
            Some((from, to)) => hour >= from || hour < to,
        }
    }

    /// The same filter on its first page: what the list's figures and map draw from.
    pub fn first_page(&self) -> Self {
        Self { after: None, ..self.clone() }
    }
}

/// "22-6": from 22:00 up to 06:00; "0-24" is the whole day. Equal ends would be an
/// empty range, so they are refused.
fn parse_hours(value: &str) -> Option<(u8, u8)> {
    let (a, b) = value.split_once('-')?;
    let (a, b): (u8, u8) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a < 24 && b <= 24 && a != b).then_some((a, b))
}

/// The order of the list: open urgent items first, then other open ones, then the
/// rest; within a rank the newest first.
pub fn rank(open: bool, urgency: Option<Urgency>) -> u8 {
    match (open, urgency) {
        (true, Some(Urgency::High)) => 0,
        (true, _) => 1,
        (false, _) => 2,
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
