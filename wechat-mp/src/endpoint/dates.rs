//! Days as WeChat counts them: statistics endpoints take a range of calendar days in
//! China Standard Time (UTC+8), capped at a number of days per endpoint.
//!
//! Days are [`chrono::NaiveDate`]: the date type most Rust code already has, sent as
//! `YYYY-MM-DD` (chrono's own text form), with no time zone to get wrong, since WeChat's
//! days have one fixed offset.

use chrono::{Days, NaiveDate, Utc};

use super::Endpoint;
use crate::error::{self, Error};

/// China Standard Time, in which WeChat's statistics days begin and end.
const UTC_PLUS_8: chrono::TimeDelta = chrono::TimeDelta::hours(8);

/// Today in China Standard Time.
pub fn today() -> NaiveDate {
    (Utc::now() + UTC_PLUS_8).date_naive()
}

/// Yesterday in China Standard Time: the latest day WeChat has statistics for.
///
/// ```
/// use wechat_mp::dates::{today, yesterday};
///
/// assert_eq!(yesterday().succ_opt(), Some(today()));
/// println!("the latest statistics are of {}", yesterday()); // 2026-11-30
/// ```
pub fn yesterday() -> NaiveDate {
    today().checked_sub_days(Days::new(1)).unwrap_or(NaiveDate::MIN)
}

/// Refuses `begin..=end` unless it holds 1 to `max_days` days: the rule of `endpoint`'s
/// spec, checked by its builder before it sends anything.
#[cfg_attr(not(feature = "datacube"), allow(dead_code))]
pub(crate) fn check_date_range(
    endpoint: &Endpoint,
    begin: NaiveDate,
    end: NaiveDate,
    max_days: u32,
) -> Result<(), Error> {
    let days = (end - begin).num_days() + 1;
    if days < 1 || days > i64::from(max_days) {
        return Err(error::date_range(endpoint, begin, end, days, max_days));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{Auth, Host, Method, ResponseKind};

    static STATS: Endpoint = Endpoint {
        group: "datacube",
        name: "stats",
        method: Method::Post,
        host: Host::Api,
        path: "/datacube/stats",
        auth: Auth::AccessToken,
        response: ResponseKind::Json,
    };

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn a_range_holds_one_to_max_days_both_ends_counted() {
        assert!(check_date_range(&STATS, day(1), day(1), 1).is_ok());
        assert!(check_date_range(&STATS, day(1), day(7), 7).is_ok());
        let err = check_date_range(&STATS, day(1), day(8), 7).unwrap_err();
        assert!(
            matches!(
                err,
                Error::DateRange {
                    days: 8,
                    max_days: 7,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "datacube.stats takes 2026-11-01 to 2026-11-08, 8 days; it allows 1 to 7"
        );
        let err = check_date_range(&STATS, day(2), day(1), 7).unwrap_err();
        assert!(matches!(err, Error::DateRange { days: 0, .. }), "{err:?}");
    }

    #[test]
    fn yesterday_is_the_day_before_today_in_china() {
        assert_eq!(yesterday().succ_opt(), Some(today()));
        let utc = Utc::now().date_naive();
        assert!(
            today() == utc || today() == utc.succ_opt().unwrap(),
            "UTC+8 is today or tomorrow in UTC"
        );
    }
}
