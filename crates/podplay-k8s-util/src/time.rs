//! Civil (calendar) time from Unix timestamps, and the three layouts that show in output.
//!
//! * [`format_rfc3339`]: `metav1.Time` in YAML/JSON (`creationTimestamp: "2026-11-25T12:04:29Z"`);
//!   apimachinery `pkg/apis/meta/v1/time.go` marshals `t.UTC().Format(time.RFC3339)`, whole
//!   seconds. [`format_rfc3339_micro`] is `metav1.MicroTime` (`eventTime`, RFC3339 with six
//!   fractional digits, `micro_time.go`).
//! * [`format_rfc1123z`]: kubectl describe's `Start Time:`, `Started:`, `Finished:`
//!   (`time.RFC1123Z` = `Mon, 02 Jan 2006 15:04:05 -0700`).
//! * [`format_busybox_date`]: what `date` prints in a busybox container
//!   (`%a %b %e %H:%M:%S %Z %Y`, day of month space-padded).
//!
//! No chrono and no clock: the caller passes Unix seconds of virtual time. The calendar is the
//! proleptic Gregorian one without leap seconds, as in Go's `time` package. Day-count conversion
//! uses Howard Hinnant's `civil_from_days`/`days_from_civil`, which agree with Go's `absDate`
//! for every representable date.

const SHORT_DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const SHORT_MONTH_NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const SECONDS_PER_DAY: i64 = 86_400;

/// A broken-down UTC (or fixed-offset) wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CivilTime {
    /// Gregorian year (may be ≤ 0 for dates before year 1, as Go allows).
    pub year: i64,
    /// Month 1–12.
    pub month: u32,
    /// Day of month 1–31.
    pub day: u32,
    /// Hour 0–23.
    pub hour: u32,
    /// Minute 0–59.
    pub minute: u32,
    /// Second 0–59 (no leap seconds).
    pub second: u32,
    /// Day of week, 0 = Sunday (Go's `time.Weekday`).
    pub weekday: u32,
}

impl CivilTime {
    /// Breaks down Unix seconds as UTC.
    pub fn from_unix(unix_secs: i64) -> Self {
        let days = unix_secs.div_euclid(SECONDS_PER_DAY);
        let secs_of_day = unix_secs.rem_euclid(SECONDS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        CivilTime {
            year,
            month,
            day,
            hour: secs_of_day / 3600,
            minute: secs_of_day / 60 % 60,
            second: secs_of_day % 60,
            // 1970-01-01 was a Thursday (4).
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }

    /// Unix seconds of this wall-clock time read as UTC (the weekday field is ignored).
    pub fn to_unix(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * SECONDS_PER_DAY
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// `Mon`, as Go's `Mon` layout element.
    pub fn short_day_name(&self) -> &'static str {
        SHORT_DAY_NAMES[self.weekday as usize]
    }

    /// `Jan`, as Go's `Jan` layout element.
    pub fn short_month_name(&self) -> &'static str {
        SHORT_MONTH_NAMES[(self.month - 1) as usize]
    }
}

/// Unix seconds for a UTC calendar date and time (like Go `time.Date(..., time.UTC).Unix()` for
/// in-range fields).
pub fn unix_from_civil(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> i64 {
    CivilTime { year, month, day, hour, minute, second, weekday: 0 }.to_unix()
}

/// Days since 1970-01-01 → (year, month, day). Hinnant's algorithm on 400-year eras.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365], March-based
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) → days since 1970-01-01; inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Go's `2006` year element: at least four digits, zero-padded, with a leading `-` for negative
/// years (Go `appendInt(b, year, 4)`).
fn push_year(out: &mut String, year: i64) {
    if year < 0 {
        out.push('-');
    }
    out.push_str(&format!("{:04}", year.unsigned_abs()));
}

/// `time.RFC3339` of a UTC instant with whole seconds: `2026-11-25T12:04:29Z` (metav1.Time).
pub fn format_rfc3339(unix_secs: i64) -> String {
    let t = CivilTime::from_unix(unix_secs);
    let mut out = String::with_capacity(20);
    push_year(&mut out, t.year);
    out.push_str(&format!("-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.month, t.day, t.hour, t.minute, t.second));
    out
}

/// metav1.Time of a virtual-time instant in milliseconds: the API keeps whole seconds only, and
/// Go's `Format` truncates (floors, for pre-1970 instants) rather than rounds.
pub fn format_rfc3339_ms(unix_ms: i64) -> String {
    format_rfc3339(unix_ms.div_euclid(1000))
}

/// metav1.MicroTime (`eventTime`, `series.lastObservedTime`): layout
/// `2006-01-02T15:04:05.000000Z07:00`, always six fractional digits.
pub fn format_rfc3339_micro(unix_micros: i64) -> String {
    let secs = unix_micros.div_euclid(1_000_000);
    let micros = unix_micros.rem_euclid(1_000_000);
    let mut out = format_rfc3339(secs);
    out.pop(); // the 'Z'
    out.push_str(&format!(".{micros:06}Z"));
    out
}

/// `time.RFC1123Z` in UTC: `Wed, 25 Nov 2026 12:04:29 +0000` (kubectl describe timestamps when
/// kubectl's local zone is UTC).
pub fn format_rfc1123z(unix_secs: i64) -> String {
    format_rfc1123z_in_zone(unix_secs, 0)
}

/// `time.RFC1123Z` in a fixed zone `offset_secs` east of UTC: the wall clock is shifted and the
/// zone prints as `±hhmm` (Go's `-0700` element; seconds of the offset are dropped).
pub fn format_rfc1123z_in_zone(unix_secs: i64, offset_secs: i32) -> String {
    let t = CivilTime::from_unix(unix_secs + i64::from(offset_secs));
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let abs_offset = offset_secs.unsigned_abs();
    let mut out = format!("{}, {:02} {} ", t.short_day_name(), t.day, t.short_month_name());
    push_year(&mut out, t.year);
    out.push_str(&format!(" {:02}:{:02}:{:02} {sign}{:02}{:02}", t.hour, t.minute, t.second, abs_offset / 3600, abs_offset / 60 % 60));
    out
}

/// busybox `date` default output in UTC: `Wed Nov 25 12:04:29 UTC 2026`, `Thu Mar  5 07:08:09
/// UTC 2026` (day of month padded with a space, as `%e`).
pub fn format_busybox_date(unix_secs: i64) -> String {
    let t = CivilTime::from_unix(unix_secs);
    format!("{} {} {:>2} {:02}:{:02}:{:02} UTC {}", t.short_day_name(), t.short_month_name(), t.day, t.hour, t.minute, t.second, t.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (unix seconds, RFC3339, RFC1123Z, busybox date), cross-checked against Python's
    /// `calendar.timegm`/`strftime`; covers leap days (2000 divisible by 400, 2024), non-leap
    /// century years (1900, 2100), the epoch, pre-epoch and the 32-bit rollover.
    const KNOWN: [(i64, &str, &str, &str); 10] = [
        (0, "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 +0000", "Thu Jan  1 00:00:00 UTC 1970"),
        (1_795_608_269, "2026-11-25T12:04:29Z", "Wed, 25 Nov 2026 12:04:29 +0000", "Wed Nov 25 12:04:29 UTC 2026"),
        (951_782_400, "2000-02-29T00:00:00Z", "Tue, 29 Feb 2000 00:00:00 +0000", "Tue Feb 29 00:00:00 UTC 2000"),
        (1_709_251_199, "2024-02-29T23:59:59Z", "Thu, 29 Feb 2024 23:59:59 +0000", "Thu Feb 29 23:59:59 UTC 2024"),
        (-2_203_891_200, "1900-03-01T00:00:00Z", "Thu, 01 Mar 1900 00:00:00 +0000", "Thu Mar  1 00:00:00 UTC 1900"),
        (4_107_499_200, "2100-02-28T12:00:00Z", "Sun, 28 Feb 2100 12:00:00 +0000", "Sun Feb 28 12:00:00 UTC 2100"),
        (4_107_542_400, "2100-03-01T00:00:00Z", "Mon, 01 Mar 2100 00:00:00 +0000", "Mon Mar  1 00:00:00 UTC 2100"),
        (-1, "1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 +0000", "Wed Dec 31 23:59:59 UTC 1969"),
        (1_772_694_489, "2026-03-05T07:08:09Z", "Thu, 05 Mar 2026 07:08:09 +0000", "Thu Mar  5 07:08:09 UTC 2026"),
        (2_147_483_648, "2038-01-19T03:14:08Z", "Tue, 19 Jan 2038 03:14:08 +0000", "Tue Jan 19 03:14:08 UTC 2038"),
    ];

    #[test]
    fn known_dates_in_every_layout() {
        for (unix, rfc3339, rfc1123z, busybox) in KNOWN {
            assert_eq!(format_rfc3339(unix), rfc3339, "rfc3339({unix})");
            assert_eq!(format_rfc1123z(unix), rfc1123z, "rfc1123z({unix})");
            assert_eq!(format_busybox_date(unix), busybox, "busybox({unix})");
        }
    }

    #[test]
    fn civil_round_trip() {
        for (unix, ..) in KNOWN {
            assert_eq!(CivilTime::from_unix(unix).to_unix(), unix);
        }
        assert_eq!(unix_from_civil(2026, 11, 25, 12, 4, 29), 1_795_608_269);
        assert_eq!(unix_from_civil(2000, 2, 29, 0, 0, 0), 951_782_400);
        // Every day for ~1100 years around the epoch maps back to itself, and consecutive days
        // advance the weekday by one.
        let mut prev = CivilTime::from_unix(-400 * 365 * SECONDS_PER_DAY);
        for days in (-400 * 365 + 1)..(700 * 365) {
            let t = CivilTime::from_unix(days * SECONDS_PER_DAY);
            assert_eq!(days_from_civil(t.year, t.month, t.day), days);
            assert_eq!(t.weekday, (prev.weekday + 1) % 7);
            prev = t;
        }
    }

    #[test]
    fn sub_second_precision() {
        // metav1.Time drops the fraction; pre-epoch floors like Go's Time.
        assert_eq!(format_rfc3339_ms(1_795_608_269_999), "2026-11-25T12:04:29Z");
        assert_eq!(format_rfc3339_ms(-1), "1969-12-31T23:59:59Z");
        assert_eq!(format_rfc3339_micro(1_795_608_269_000_042), "2026-11-25T12:04:29.000042Z");
        assert_eq!(format_rfc3339_micro(-1), "1969-12-31T23:59:59.999999Z");
    }

    #[test]
    fn rfc1123z_with_offsets() {
        assert_eq!(format_rfc1123z_in_zone(1_795_608_269, 3600), "Wed, 25 Nov 2026 13:04:29 +0100");
        assert_eq!(format_rfc1123z_in_zone(1_795_608_269, -(5 * 3600 + 30 * 60)), "Wed, 25 Nov 2026 06:34:29 -0530");
        assert_eq!(format_rfc1123z_in_zone(0, -3600), "Wed, 31 Dec 1969 23:00:00 -0100");
    }
}
