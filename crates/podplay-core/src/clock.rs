//! Virtual time. Everything in the engine happens at a `Millis` since the scenario's objects
//! were created; wall-clock dates (for `Start Time:` and timestamps) are derived from a fixed
//! epoch so that runs are reproducible byte for byte.

pub type Millis = u64;

pub const SECOND: Millis = 1000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// Unix time (seconds) at virtual time zero: 2026-01-05T09:00:00Z, a Monday morning.
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_603_600;

/// Parses the durations scenarios and the CLI use: `90s`, `2m42s`, `1h`, `1h30m`, `500ms`,
/// or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Millis, String> {
    let t = text.trim();
    let bad = || format!("invalid duration {text:?}: use forms like 90s, 2m42s, 1h or 500ms");
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = t.parse::<u64>() {
        return secs.checked_mul(SECOND).ok_or_else(bad);
    }
    let mut total: Millis = 0;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        if digits == 0 {
            return Err(bad());
        }
        let number: f64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => 1.0,
            "s" => SECOND as f64,
            "m" => MINUTE as f64,
            "h" => HOUR as f64,
            "d" => 24.0 * HOUR as f64,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total = total.checked_add((number * unit).round() as u64).ok_or_else(bad)?;
    }
    Ok(total)
}

/// `1m40s`-style offset for messages about virtual time.
pub fn format_offset(t: Millis) -> String {
    let s = t / SECOND;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

/// `1m40.250s`-style offset with milliseconds, for timelines (minutes unbounded: `75m00.000s`).
/// Scenario files write `at` as Go prints a duration instead (`edit.rs`, `go_duration_string`).
pub fn format_offset_ms(t: Millis) -> String {
    let (s, frac) = (t / SECOND, t % SECOND);
    if s >= 60 {
        format!("{}m{:02}.{:03}s", s / 60, s % 60, frac)
    } else {
        format!("{s}.{frac:03}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("2m42s"), Ok(162_000));
        assert_eq!(parse_duration("1h"), Ok(3_600_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("10"), Ok(10_000));
        assert_eq!(parse_duration("1.5s"), Ok(1500));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("10x").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn offsets() {
        assert_eq!(format_offset(100_250), "1m40s");
        assert_eq!(format_offset(3_725_000), "1h2m5s");
        assert_eq!(format_offset_ms(100_250), "1m40.250s");
        assert_eq!(format_offset_ms(4_500_000), "75m00.000s");
        assert_eq!(format_offset_ms(7), "0.007s");
    }
}
