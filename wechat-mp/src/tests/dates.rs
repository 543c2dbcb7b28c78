//! The `dates` fixture: `date` parameters and fields, and a capped range.

#[path = "../../../codegen/tests/fixtures/dates/expected/wechat-mp/src/api/dates/mod.rs"]
#[rustfmt::skip]
#[allow(dead_code, missing_docs)]
mod generated;

use chrono::NaiveDate;
use serde_json::json;

use super::{client, json_body};
use crate::Error;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 12, d).unwrap()
}

#[test]
fn days_go_on_the_wire_as_year_month_day() {
    let request = client().dates().summary(day(2), day(7)).to_request().unwrap();
    assert_eq!(
        json_body(&request),
        json!({"begin_date": "2014-12-02", "end_date": "2014-12-07"})
    );
    let request = client().dates().on_day(day(7)).to_request().unwrap();
    assert_eq!(request.query_pairs(), [("day", "2014-12-07".to_owned())]);
}

#[test]
fn a_range_over_the_cap_or_backwards_is_refused_before_any_request() {
    let err = client().dates().summary(day(1), day(8)).to_request().unwrap_err();
    assert!(
        matches!(err, Error::DateRange { days: 8, max_days: 7, ref endpoint, .. } if endpoint == "dates.summary"),
        "{err:?}"
    );
    let err = client().dates().summary(day(7), day(6)).to_request().unwrap_err();
    assert!(matches!(err, Error::DateRange { days: 0, .. }), "{err:?}");
}

#[test]
fn days_decode_from_answers_and_bad_ones_do_not() {
    let answer: generated::SummaryResponse =
        serde_json::from_value(json!({"list": [{"ref_date": "2014-12-07", "count": 3}]})).unwrap();
    assert_eq!(answer.list.unwrap()[0].ref_date, day(7));
    let bad = serde_json::from_value::<generated::SummaryResponse>(json!({"list": [{"ref_date": "2014-13-07"}]}));
    assert!(bad.is_err());
}
