//! Go duration formatting as it appears in kubectl output.
//!
//! * [`human_duration`] / [`short_human_duration`] port apimachinery
//!   `pkg/util/duration/duration.go` (`HumanDuration`, `ShortHumanDuration`): the AGE column of
//!   `kubectl get`, describe's event ages, `"%d (%s ago)"` restarts.
//! * [`go_duration_string`] ports Go `time.Duration.String()` (`src/time/time.go`): every `%v` of a
//!   `time.Duration` in a kubelet message (`back-off 1m20s restarting failed container`,
//!   `Successfully pulled image "x" in 1.462s`).
//! * [`truncate`] ports `time.Duration.Truncate`, which the kubelet applies before printing pull
//!   times (`.Truncate(time.Millisecond)`).
//!
//! All durations here are signed integer nanoseconds (Go's `time.Duration` is an `int64` of
//! nanoseconds), except the `_ms` conveniences that take virtual-time milliseconds.

/// One nanosecond, the unit of Go's `time.Duration`.
pub const NANOSECOND: i64 = 1;
/// `time.Microsecond` in nanoseconds.
pub const MICROSECOND: i64 = 1_000 * NANOSECOND;
/// `time.Millisecond` in nanoseconds.
pub const MILLISECOND: i64 = 1_000 * MICROSECOND;
/// `time.Second` in nanoseconds.
pub const SECOND: i64 = 1_000 * MILLISECOND;
/// `time.Minute` in nanoseconds.
pub const MINUTE: i64 = 60 * SECOND;
/// `time.Hour` in nanoseconds.
pub const HOUR: i64 = 60 * MINUTE;

/// Converts virtual-time milliseconds to Go duration nanoseconds (saturating, so absurd inputs
/// cannot panic; Go's own `Duration` would overflow instead, far outside any simulation).
pub fn ms_to_nanos(ms: i64) -> i64 {
    ms.saturating_mul(MILLISECOND)
}

/// `Duration.Seconds()`: Go splits into whole and fractional parts before converting to float so
/// that truncating the float back to an integer agrees with integer division; we do the same so
/// `int(d.Seconds())` gives identical results.
pub(crate) fn seconds_f64(nanos: i64) -> f64 {
    (nanos / SECOND) as f64 + (nanos % SECOND) as f64 / 1e9
}

/// `Duration.Minutes()`, same splitting as [`seconds_f64`].
fn minutes_f64(nanos: i64) -> f64 {
    (nanos / MINUTE) as f64 + (nanos % MINUTE) as f64 / (60.0 * 1e9)
}

/// `Duration.Hours()`, same splitting as [`seconds_f64`].
fn hours_f64(nanos: i64) -> f64 {
    (nanos / HOUR) as f64 + (nanos % HOUR) as f64 / (60.0 * 60.0 * 1e9)
}

/// apimachinery `HumanDuration` for a duration in virtual-time milliseconds.
///
/// Negative values follow Go: `int(d.Seconds())` truncates toward zero, so anything in
/// (-2 s, 0) prints `0s` (clock-skew tolerance) and -2 s or less prints `<invalid>`.
///
/// kubectl computes ages as `now - t` where `t` is a `metav1.Time` that came through the API
/// with whole-second precision while `now` is exact: floor `t` to a second before subtracting.
pub fn human_duration(d_ms: i64) -> String {
    human_duration_nanos(ms_to_nanos(d_ms))
}

/// apimachinery `HumanDuration` on Go duration nanoseconds (~2–3 significant figures).
pub fn human_duration_nanos(d: i64) -> String {
    let seconds = seconds_f64(d) as i64;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = d / MINUTE;
    if minutes < 10 {
        let s = (d / SECOND) % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = d / HOUR;
    if hours < 8 {
        let m = (d / MINUTE) % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        format!("{hours}h{m}m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        format!("{}d{}h", hours / 24, h)
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        format!("{}y{}d", hours / 24 / 365, dy)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// apimachinery `ShortHumanDuration` for virtual-time milliseconds: a single unit
/// (`%ds`/`%dm`/`%dh`/`%dd`/`%dy`), as used by some kubectl printers (e.g. `kubectl get events`
/// LAST SEEN in older releases).
pub fn short_human_duration(d_ms: i64) -> String {
    short_human_duration_nanos(ms_to_nanos(d_ms))
}

/// apimachinery `ShortHumanDuration` on Go duration nanoseconds. Unlike [`human_duration_nanos`]
/// it goes through the float accessors (`d.Minutes()`, `d.Hours()`), reproduced bit for bit.
pub fn short_human_duration_nanos(d: i64) -> String {
    let seconds = seconds_f64(d) as i64;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = minutes_f64(d) as i64;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = hours_f64(d) as i64;
    if hours < 24 {
        format!("{hours}h")
    } else if hours < 24 * 365 {
        format!("{}d", hours / 24)
    } else {
        format!("{}y", (hours_f64(d) / 24.0 / 365.0) as i64)
    }
}

/// Go `time.Duration.String()`: `72h3m0.5s` style; under one second it switches to `ms`, `µs`
/// or `ns` so the leading digit is non-zero; zero is `0s`. Fractions drop trailing zeros.
pub fn go_duration_string(nanos: i64) -> String {
    // Go works on the unsigned magnitude so that i64::MIN formats correctly.
    let neg = nanos < 0;
    let mut u = nanos.unsigned_abs();
    // Built back to front like Go's fixed buffer, then reversed.
    let mut rev = String::with_capacity(32);
    if u < SECOND as u64 {
        if u == 0 {
            return "0s".to_string();
        }
        rev.push('s');
        let prec = if u < MICROSECOND as u64 {
            rev.push('n');
            0
        } else if u < MILLISECOND as u64 {
            rev.push('µ');
            3
        } else {
            rev.push('m');
            6
        };
        u = push_frac_rev(&mut rev, u, prec);
        push_int_rev(&mut rev, u);
    } else {
        rev.push('s');
        u = push_frac_rev(&mut rev, u, 9);
        push_int_rev(&mut rev, u % 60);
        u /= 60;
        if u > 0 {
            rev.push('m');
            push_int_rev(&mut rev, u % 60);
            u /= 60;
            // Go stops at hours because days can have different lengths.
            if u > 0 {
                rev.push('h');
                push_int_rev(&mut rev, u);
            }
        }
    }
    if neg {
        rev.push('-');
    }
    rev.chars().rev().collect()
}

/// Go `fmtFrac`: appends (reversed) the fraction `v / 10^prec` without trailing zeros, and
/// without the decimal point when the fraction is zero; returns the integer part.
fn push_frac_rev(rev: &mut String, mut v: u64, prec: u32) -> u64 {
    let mut print = false;
    for _ in 0..prec {
        let digit = v % 10;
        print = print || digit != 0;
        if print {
            rev.push(char::from(b'0' + digit as u8));
        }
        v /= 10;
    }
    if print {
        rev.push('.');
    }
    v
}

/// Go `fmtInt`: appends (reversed) the decimal digits of `v`.
fn push_int_rev(rev: &mut String, mut v: u64) {
    if v == 0 {
        rev.push('0');
        return;
    }
    while v > 0 {
        rev.push(char::from(b'0' + (v % 10) as u8));
        v /= 10;
    }
}

/// Go `Duration.Truncate(m)`: rounds toward zero to a multiple of `unit`; a non-positive unit
/// leaves the duration unchanged.
pub fn truncate(nanos: i64, unit: i64) -> i64 {
    if unit <= 0 {
        return nanos;
    }
    nanos - nanos % unit
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * HOUR;
    const YEAR: i64 = 365 * DAY;

    /// apimachinery duration_test.go TestHumanDuration.
    #[test]
    fn human_duration_examples() {
        let cases = [
            (SECOND, "1s"),
            (70 * SECOND, "70s"),
            (190 * SECOND, "3m10s"),
            (70 * MINUTE, "70m"),
            (47 * HOUR, "47h"),
            (49 * HOUR, "2d1h"),
            ((8 * 24 + 2) * HOUR, "8d"),
            (367 * DAY, "367d"),
            ((365 * 2 * 24 + 25) * HOUR, "2y1d"),
            ((365 * 8 * 24 + 2) * HOUR, "8y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration_nanos(d), want, "HumanDuration({})", go_duration_string(d));
        }
    }

    /// apimachinery duration_test.go TestHumanDurationBoundaries.
    #[test]
    fn human_duration_boundaries() {
        let ms = MILLISECOND;
        let cases = [
            (-2 * SECOND, "<invalid>"),
            (-2 * SECOND + 1, "0s"),
            (0, "0s"),
            (SECOND - ms, "0s"),
            (2 * MINUTE - ms, "119s"),
            (2 * MINUTE, "2m"),
            (2 * MINUTE + SECOND, "2m1s"),
            (10 * MINUTE - ms, "9m59s"),
            (10 * MINUTE, "10m"),
            (10 * MINUTE + SECOND, "10m"),
            (3 * HOUR - ms, "179m"),
            (3 * HOUR, "3h"),
            (3 * HOUR + MINUTE, "3h1m"),
            (8 * HOUR - ms, "7h59m"),
            (8 * HOUR, "8h"),
            (8 * HOUR + 59 * MINUTE, "8h"),
            (2 * DAY - ms, "47h"),
            (2 * DAY, "2d"),
            (2 * DAY + HOUR, "2d1h"),
            (8 * DAY - ms, "7d23h"),
            (8 * DAY, "8d"),
            (8 * DAY + 23 * HOUR, "8d"),
            (2 * YEAR - ms, "729d"),
            (2 * YEAR, "2y"),
            (2 * YEAR + 23 * HOUR, "2y"),
            (2 * YEAR + 23 * HOUR + 59 * MINUTE, "2y"),
            (2 * YEAR + DAY - ms, "2y"),
            (2 * YEAR + DAY, "2y1d"),
            (3 * YEAR, "3y"),
            (4 * YEAR, "4y"),
            (5 * YEAR, "5y"),
            (6 * YEAR, "6y"),
            (7 * YEAR, "7y"),
            (8 * YEAR - ms, "7y364d"),
            (8 * YEAR, "8y"),
            (8 * YEAR + 364 * DAY, "8y"),
            (9 * YEAR, "9y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration_nanos(d), want, "HumanDuration({})", go_duration_string(d));
        }
    }

    /// apimachinery duration_test.go TestShortHumanDurationBoundaries.
    #[test]
    fn short_human_duration_boundaries() {
        let ms = MILLISECOND;
        let cases = [
            (-2 * SECOND, "<invalid>"),
            (-2 * SECOND + 1, "0s"),
            (0, "0s"),
            (SECOND - ms, "0s"),
            (SECOND, "1s"),
            (2 * SECOND - ms, "1s"),
            (MINUTE - ms, "59s"),
            (MINUTE, "1m"),
            (2 * MINUTE - ms, "1m"),
            (HOUR - ms, "59m"),
            (HOUR, "1h"),
            (2 * HOUR - ms, "1h"),
            (DAY - ms, "23h"),
            (DAY, "1d"),
            (2 * DAY - ms, "1d"),
            (YEAR - ms, "364d"),
            (YEAR, "1y"),
            (2 * YEAR - ms, "1y"),
            (2 * YEAR, "2y"),
        ];
        for (d, want) in cases {
            assert_eq!(short_human_duration_nanos(d), want, "ShortHumanDuration({})", go_duration_string(d));
        }
    }

    /// The millisecond entry points truncate toward zero exactly like the nanosecond ones
    /// (examples from the kubelet reference: 93 s, 162 s, 50 h; -1999 ms is still `0s`).
    #[test]
    fn millisecond_entry_points() {
        let cases = [
            (-2000, "<invalid>"),
            (-1999, "0s"),
            (-1, "0s"),
            (93_000, "93s"),
            (162_000, "2m42s"),
            (242_999, "4m2s"),
            (50 * 3_600_000, "2d2h"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(ms), want, "human_duration({ms})");
        }
        assert_eq!(short_human_duration(-1999), "0s");
        assert_eq!(short_human_duration(3_599_999), "59m");
    }

    /// Go src/time/time_test.go durationTests (TestDurationString), including the negated
    /// variant of every positive case.
    #[test]
    fn go_duration_string_table() {
        let cases = [
            ("0s", 0),
            ("1ns", NANOSECOND),
            ("1.1µs", 1100 * NANOSECOND),
            ("2.2ms", 2200 * MICROSECOND),
            ("3.3s", 3300 * MILLISECOND),
            ("4m5s", 4 * MINUTE + 5 * SECOND),
            ("4m5.001s", 4 * MINUTE + 5001 * MILLISECOND),
            ("5h6m7.001s", 5 * HOUR + 6 * MINUTE + 7001 * MILLISECOND),
            ("8m0.000000001s", 8 * MINUTE + NANOSECOND),
            ("2562047h47m16.854775807s", i64::MAX),
            ("-2562047h47m16.854775808s", i64::MIN),
        ];
        for (want, d) in cases {
            assert_eq!(go_duration_string(d), want, "Duration({d}).String()");
            if d > 0 {
                assert_eq!(go_duration_string(-d), format!("-{want}"), "Duration({}).String()", -d);
            }
        }
    }

    /// Strings the kubelet actually prints (crash-loop delays, pull times truncated to ms).
    #[test]
    fn go_duration_string_kubelet_values() {
        let cases = [
            (10 * SECOND, "10s"),
            (80 * SECOND, "1m20s"),
            (160 * SECOND, "2m40s"),
            (300 * SECOND, "5m0s"),
            (HOUR, "1h0m0s"),
            (1462 * MILLISECOND, "1.462s"),
            (806 * MILLISECOND, "806ms"),
            (1500 * NANOSECOND, "1.5µs"),
            (truncate(5 * MINUTE + 12 * SECOND + 402_123_456, MILLISECOND), "5m12.402s"),
        ];
        for (d, want) in cases {
            assert_eq!(go_duration_string(d), want);
        }
    }

    /// Go src/time/time_test.go durationTruncateTests (TestDurationTruncate).
    #[test]
    fn truncate_table() {
        let cases = [
            (0, SECOND, 0),
            (MINUTE, -7 * SECOND, MINUTE),
            (MINUTE, 0, MINUTE),
            (MINUTE, 1, MINUTE),
            (MINUTE + 10 * SECOND, 10 * SECOND, MINUTE + 10 * SECOND),
            (2 * MINUTE + 10 * SECOND, MINUTE, 2 * MINUTE),
            (10 * MINUTE + 10 * SECOND, 3 * MINUTE, 9 * MINUTE),
            (MINUTE + 10 * SECOND, MINUTE + 10 * SECOND + 1, 0),
            (MINUTE + 10 * SECOND, HOUR, 0),
            (-MINUTE, SECOND, -MINUTE),
            (-10 * MINUTE, 3 * MINUTE, -9 * MINUTE),
            (-10 * MINUTE, HOUR, 0),
        ];
        for (d, m, want) in cases {
            assert_eq!(truncate(d, m), want, "Duration({d}).Truncate({m})");
        }
    }
}
