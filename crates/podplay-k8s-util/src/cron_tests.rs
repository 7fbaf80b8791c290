//! Ports of robfig/cron v3.0.1 `parser_test.go`, `spec_test.go` and `constantdelay_test.go`, with
//! the same names (snake_case) and the same inputs and expected values, then podplay's own.
//!
//! Skipped, and why:
//! * `TestParseScheduleErrors`: `* 5 j * * *` and `* * * *` go through robfig's seconds parser
//!   (six fields, `expected 5 to 6 fields`); only ParseStandard is ported. Its other cases are kept.
//! * `TestParseSchedule`: the `secondParser` six-field cases (`0 5 * * * *`,
//!   `CRON_TZ=UTC  0 5 * * * *`, `* 5 * * * *`) and the `Asia/Tokyo` ones (no zone database).
//!   Its descriptor cases parse the same under ParseStandard and are kept.
//! * `TestOptionalSecondSchedule`, `TestNormalizeFields`, `TestNormalizeFields_Errors`,
//!   `TestNoDescriptorParser`: custom parser options (`NewParser`) are not ported.
//! * `TestNext`: cases whose seconds field is not `0` (`15/35 ...`) need a seconds field, and the
//!   `America/New_York` / `America/Sao_Paulo` cases need a zone database. The cases with a `0`
//!   seconds field are kept with that field dropped, which is what ParseStandard fills in.
//! * `TestNextWithTz`: evaluates in the `+0530` zone of the given time; podplay's times are UTC.
//! * `TestConstantDelayNext`: the cases starting at `14:45:00.005` need sub-second times; podplay's
//!   are whole seconds. The rest are kept.

use super::*;

/// robfig's `getTime` for the layouts `Mon Jan 2 15:04 2006` and `Mon Jan 2 15:04:05 2006`, read
/// in UTC (robfig reads them in `time.Local`, which ParseStandard's schedules also use).
fn get_time(value: &str) -> i64 {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| *m == parts[1])
        .expect("month") as u32
        + 1;
    let clock: Vec<u32> = parts[3].split(':').map(|p| p.parse().expect("clock")).collect();
    let second = clock.get(2).copied().unwrap_or(0);
    unix_from_civil(parts[4].parse().expect("year"), month, parts[2].parse().expect("day"), clock[0], clock[1], second)
}

fn bounds(min: u64, max: u64) -> Bounds {
    Bounds { min, max, names: &[] }
}

fn spec(schedule: &Schedule) -> &SpecSchedule {
    match &schedule.0 {
        Kind::Spec(s) => s,
        Kind::Every(_) => panic!("not a SpecSchedule: {schedule:?}"),
    }
}

fn spec_schedule(second: u64, minute: u64, hour: u64, dom: u64, month: u64, dow: u64, location: &'static str) -> Schedule {
    Schedule(Kind::Spec(SpecSchedule { second, minute, hour, dom, month, dow, location }))
}

fn every5min(location: &'static str) -> Schedule {
    spec_schedule(1 << 0, 1 << 5, all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW), location)
}

fn midnight(location: &'static str) -> Schedule {
    spec_schedule(1, 1, 1, all(&DOM), all(&MONTHS), all(&DOW), location)
}

fn annual(location: &'static str) -> Schedule {
    spec_schedule(1 << SECONDS.min, 1 << MINUTES.min, 1 << HOURS.min, 1 << DOM.min, 1 << MONTHS.min, all(&DOW), location)
}

#[test]
fn test_range() {
    let zero = 0u64;
    let ranges: &[(&str, u64, u64, u64, &str)] = &[
        ("5", 0, 7, 1 << 5, ""),
        ("0", 0, 7, 1 << 0, ""),
        ("7", 0, 7, 1 << 7, ""),
        ("5-5", 0, 7, 1 << 5, ""),
        ("5-6", 0, 7, 1 << 5 | 1 << 6, ""),
        ("5-7", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
        ("5-6/2", 0, 7, 1 << 5, ""),
        ("5-7/2", 0, 7, 1 << 5 | 1 << 7, ""),
        ("5-7/1", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
        ("*", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT, ""),
        ("*/2", 1, 3, 1 << 1 | 1 << 3, ""),
        ("5--5", 0, 0, zero, "too many hyphens"),
        ("jan-x", 0, 0, zero, "failed to parse int from"),
        ("2-x", 1, 5, zero, "failed to parse int from"),
        ("*/-12", 0, 0, zero, "negative number"),
        ("*//2", 0, 0, zero, "too many slashes"),
        ("1", 3, 5, zero, "below minimum"),
        ("6", 3, 5, zero, "above maximum"),
        ("5-3", 3, 5, zero, "beyond end of range"),
        ("*/0", 0, 0, zero, "should be a positive number"),
    ];
    for &(expr, min, max, expected, err) in ranges {
        match get_range(expr, &bounds(min, max)) {
            Ok(actual) => {
                assert!(err.is_empty(), "{expr} => expected {err}, got {actual}");
                assert_eq!(actual, expected, "{expr}");
            }
            Err(e) => assert!(!err.is_empty() && e.contains(err), "{expr} => expected {err:?}, got {e:?}"),
        }
    }
}

#[test]
fn test_field() {
    let fields: &[(&str, u64, u64, u64)] = &[
        ("5", 1, 7, 1 << 5),
        ("5,6", 1, 7, 1 << 5 | 1 << 6),
        ("5,6,7", 1, 7, 1 << 5 | 1 << 6 | 1 << 7),
        ("1,5-7/2,3", 1, 7, 1 << 1 | 1 << 5 | 1 << 7 | 1 << 3),
    ];
    for &(expr, min, max, expected) in fields {
        assert_eq!(get_field(expr, &bounds(min, max)), Ok(expected), "{expr}");
    }
}

#[test]
fn test_all() {
    let all_bits: &[(&Bounds, u64)] =
        &[(&MINUTES, 0xfffffffffffffff), (&HOURS, 0xffffff), (&DOM, 0xfffffffe), (&MONTHS, 0x1ffe), (&DOW, 0x7f)];
    for &(r, expected) in all_bits {
        assert_eq!(all(r), expected | STAR_BIT, "{}-{}", r.min, r.max);
    }
}

#[test]
fn test_bits() {
    let bits: &[(u64, u64, u64, u64)] = &[(0, 0, 1, 0x1), (1, 1, 1, 0x2), (1, 5, 2, 0x2a), (1, 4, 2, 0xa)];
    for &(min, max, step, expected) in bits {
        assert_eq!(get_bits(min, max, step), expected, "{min}-{max}/{step}");
    }
}

#[test]
fn test_parse_schedule_errors() {
    for (expr, err) in [("@every Xm", "failed to parse duration"), ("@unrecognized", "unrecognized descriptor"), ("", "empty spec string")]
    {
        let e = parse_standard(expr).expect_err(expr);
        assert!(e.contains(err), "{expr} => expected {err:?}, got {e:?}");
    }
}

#[test]
fn test_parse_schedule() {
    let entries = [
        ("5 * * * *", every5min("Local")),
        ("CRON_TZ=UTC  5 * * * *", every5min("UTC")),
        ("@every 5m", Schedule(Kind::Every(5 * 60))),
        ("@midnight", midnight("Local")),
        ("TZ=UTC  @midnight", midnight("UTC")),
        ("@yearly", annual("Local")),
        ("@annually", annual("Local")),
    ];
    for (expr, expected) in entries {
        assert_eq!(parse_standard(expr), Ok(expected), "{expr}");
    }
}

#[test]
fn test_standard_spec_schedule() {
    let expected = spec_schedule(1 << SECONDS.min, 1 << 5, all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW), "Local");
    assert_eq!(parse_standard("5 * * * *"), Ok(expected));
    assert_eq!(parse_standard("@every 5m"), Ok(Schedule(Kind::Every(5 * 60))));
    assert!(parse_standard("5 j * * *").unwrap_err().contains("failed to parse int from"));
    assert!(parse_standard("* * * *").unwrap_err().contains("expected exactly 5 fields"));
}

#[test]
fn test_activation() {
    let tests = [
        // Every fifteen minutes.
        ("Mon Jul 9 15:00 2012", "0/15 * * * *", true),
        ("Mon Jul 9 15:45 2012", "0/15 * * * *", true),
        ("Mon Jul 9 15:40 2012", "0/15 * * * *", false),
        // Every fifteen minutes, starting at 5 minutes.
        ("Mon Jul 9 15:05 2012", "5/15 * * * *", true),
        ("Mon Jul 9 15:20 2012", "5/15 * * * *", true),
        ("Mon Jul 9 15:50 2012", "5/15 * * * *", true),
        // Named months
        ("Sun Jul 15 15:00 2012", "0/15 * * Jul *", true),
        ("Sun Jul 15 15:00 2012", "0/15 * * Jun *", false),
        // Everything set.
        ("Sun Jul 15 08:30 2012", "30 08 ? Jul Sun", true),
        ("Sun Jul 15 08:30 2012", "30 08 15 Jul ?", true),
        ("Mon Jul 16 08:30 2012", "30 08 ? Jul Sun", false),
        ("Mon Jul 16 08:30 2012", "30 08 15 Jul ?", false),
        // Predefined schedules
        ("Mon Jul 9 15:00 2012", "@hourly", true),
        ("Mon Jul 9 15:04 2012", "@hourly", false),
        ("Mon Jul 9 15:00 2012", "@daily", false),
        ("Mon Jul 9 00:00 2012", "@daily", true),
        ("Mon Jul 9 00:00 2012", "@weekly", false),
        ("Sun Jul 8 00:00 2012", "@weekly", true),
        ("Sun Jul 8 01:00 2012", "@weekly", false),
        ("Sun Jul 8 00:00 2012", "@monthly", false),
        ("Sun Jul 1 00:00 2012", "@monthly", true),
        // If both day fields are restricted, only one needs to match.
        ("Sun Jul 15 00:00 2012", "* * 1,15 * Sun", true),
        ("Fri Jun 15 00:00 2012", "* * 1,15 * Sun", true),
        ("Wed Aug 1 00:00 2012", "* * 1,15 * Sun", true),
        ("Sun Jul 15 00:00 2012", "* * */10 * Sun", true), // verifies #70
        // However, if one has a star, then both need to match.
        ("Sun Jul 15 00:00 2012", "* * * * Mon", false),
        ("Mon Jul 9 00:00 2012", "* * 1,15 * *", false),
        ("Sun Jul 15 00:00 2012", "* * 1,15 * *", true),
        ("Sun Jul 15 00:00 2012", "* * */2 * Sun", true),
    ];
    for (time, spec, expected) in tests {
        let sched = parse_standard(spec).unwrap();
        let at = get_time(time);
        assert_eq!(sched.next(at - 1) == Some(at), expected, "{spec} on {time}");
    }
}

#[test]
fn test_next() {
    // robfig's six-field specs with the `0` seconds field dropped (see the module comment).
    let runs = [
        // Simple cases
        ("Mon Jul 9 14:45 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"),
        ("Mon Jul 9 14:59 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"),
        ("Mon Jul 9 14:59:59 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"),
        // Wrap around hours
        ("Mon Jul 9 15:45 2012", "20-35/15 * * * *", "Mon Jul 9 16:20 2012"),
        // Wrap around days
        ("Mon Jul 9 23:46 2012", "*/15 * * * *", "Tue Jul 10 00:00 2012"),
        ("Mon Jul 9 23:45 2012", "20-35/15 * * * *", "Tue Jul 10 00:20 2012"),
        // Wrap around months
        ("Mon Jul 9 23:35 2012", "0 0 9 Apr-Oct ?", "Thu Aug 9 00:00 2012"),
        ("Mon Jul 9 23:35 2012", "0 0 */5 Apr,Aug,Oct Mon", "Tue Aug 1 00:00 2012"),
        ("Mon Jul 9 23:35 2012", "0 0 */5 Oct Mon", "Mon Oct 1 00:00 2012"),
        // Wrap around years
        ("Mon Jul 9 23:35 2012", "0 0 * Feb Mon", "Mon Feb 4 00:00 2013"),
        ("Mon Jul 9 23:35 2012", "0 0 * Feb Mon/2", "Fri Feb 1 00:00 2013"),
        // Wrap around minute, hour, day, month, and year
        ("Mon Dec 31 23:59:45 2012", "* * * * *", "Tue Jan 1 00:00:00 2013"),
        // Leap year
        ("Mon Jul 9 23:35 2012", "0 0 29 Feb ?", "Mon Feb 29 00:00 2016"),
    ];
    for (time, spec, expected) in runs {
        assert_eq!(parse_standard(spec).unwrap().next(get_time(time)), Some(get_time(expected)), "{time}, {spec:?}");
    }
    // Unsatisfiable
    for spec in ["0 0 30 Feb ?", "0 0 31 Apr ?"] {
        assert_eq!(parse_standard(spec).unwrap().next(get_time("Mon Jul 9 23:35 2012")), None, "{spec}");
    }
}

#[test]
fn test_errors() {
    for spec in ["xyz", "60 0 * * *", "0 60 * * *", "0 0 * * XYZ"] {
        assert!(parse_standard(spec).is_err(), "expected an error parsing: {spec}");
    }
}

// https://github.com/robfig/cron/issues/144 (here the unknown zone is refused first).
#[test]
fn test_slash0_no_hang() {
    assert!(parse_standard("TZ=America/New_York 15/0 * * * *").is_err());
    assert_eq!(parse_standard("15/0 * * * *").unwrap_err(), "step of range should be a positive number: 15/0");
}

#[test]
fn test_constant_delay_next() {
    const NS: i64 = 1;
    const MS: i64 = 1_000_000;
    const S: i64 = 1_000_000_000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;
    let tests = [
        // Simple cases
        ("Mon Jul 9 14:45 2012", 15 * M + 50 * NS, "Mon Jul 9 15:00 2012"),
        ("Mon Jul 9 14:59 2012", 15 * M, "Mon Jul 9 15:14 2012"),
        ("Mon Jul 9 14:59:59 2012", 15 * M, "Mon Jul 9 15:14:59 2012"),
        // Wrap around hours
        ("Mon Jul 9 15:45 2012", 35 * M, "Mon Jul 9 16:20 2012"),
        // Wrap around days
        ("Mon Jul 9 23:46 2012", 14 * M, "Tue Jul 10 00:00 2012"),
        ("Mon Jul 9 23:45 2012", 35 * M, "Tue Jul 10 00:20 2012"),
        ("Mon Jul 9 23:35:51 2012", 44 * M + 24 * S, "Tue Jul 10 00:20:15 2012"),
        ("Mon Jul 9 23:35:51 2012", 25 * H + 44 * M + 24 * S, "Thu Jul 11 01:20:15 2012"),
        // Wrap around months
        ("Mon Jul 9 23:35 2012", 91 * 24 * H + 25 * M, "Thu Oct 9 00:00 2012"),
        // Wrap around minute, hour, day, month, and year
        ("Mon Dec 31 23:59:45 2012", 15 * S, "Tue Jan 1 00:00:00 2013"),
        // Round to nearest second on the delay
        ("Mon Jul 9 14:45 2012", 15 * M + 50 * NS, "Mon Jul 9 15:00 2012"),
        // Round up to 1 second if the duration is less.
        ("Mon Jul 9 14:45:00 2012", 15 * MS, "Mon Jul 9 14:45:01 2012"),
    ];
    for (time, delay, expected) in tests {
        assert_eq!(every(delay).next(get_time(time)), Some(get_time(expected)), "{time}, {delay}");
    }
}

// podplay's own cases from here on.

#[test]
fn every_minute_after_half_a_minute() {
    let t = unix_from_civil(2026, 1, 1, 0, 0, 30);
    assert_eq!(parse_standard("*/1 * * * *").unwrap().next(t), Some(unix_from_civil(2026, 1, 1, 0, 1, 0)));
}

#[test]
fn february_31st_never_comes() {
    assert_eq!(parse_standard("0 0 31 2 *").unwrap().next(unix_from_civil(2026, 1, 1, 0, 0, 0)), None);
}

#[test]
fn every_hour_adds_3600() {
    assert_eq!(parse_standard("@every 1h").unwrap().next(1_000_000), Some(1_003_600));
}

#[test]
fn next_is_strictly_after() {
    let t = unix_from_civil(2026, 3, 1, 12, 0, 0);
    assert_eq!(parse_standard("0 12 * * *").unwrap().next(t), Some(t + 86_400));
    assert_eq!(parse_standard("0 12 * * *").unwrap().next(t - 1), Some(t));
}

#[test]
fn dow_seven_is_above_maximum() {
    // robfig's day-of-week is 0-6; Vixie cron's 7 for Sunday is refused.
    assert_eq!(parse_standard("0 0 * * 7").unwrap_err(), "end of range (7) above maximum (6): 7");
}

#[test]
fn error_texts() {
    let cases = [
        ("foo", "expected exactly 5 fields, found 1: [foo]"),
        ("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"),
        ("@foo", "unrecognized descriptor: @foo"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("* * * foo *", "failed to parse int from foo: strconv.Atoi: parsing \"foo\": invalid syntax"),
        ("-1 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"),
        ("*/-1 * * * *", "negative number (-1) not allowed: -1"),
        (
            "99999999999999999999 * * * *",
            "failed to parse int from 99999999999999999999: strconv.Atoi: parsing \"99999999999999999999\": value out of range",
        ),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("1/2/3 * * * *", "too many slashes: 1/2/3"),
        ("TZ=Europe/Berlin 0 0 * * *", "provided bad location Europe/Berlin: unknown time zone Europe/Berlin"),
        ("CRON_TZ=../x 0 0 * * *", "provided bad location ../x: time: invalid location name"),
        ("@every Xm", "failed to parse duration @every Xm: time: invalid duration \"Xm\""),
        ("@every 5", "failed to parse duration @every 5: time: missing unit in duration \"5\""),
        ("@every 5d", "failed to parse duration @every 5d: time: unknown unit \"d\" in duration \"5d\""),
        ("@every ", "failed to parse duration @every : time: invalid duration \"\""),
        ("@every 1é", "failed to parse duration @every 1é: time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\""),
        ("@every 9999999999h", "failed to parse duration @every 9999999999h: time: invalid duration \"9999999999h\""),
        ("TZ=UTC ", "expected exactly 5 fields, found 0: []"),
    ];
    for (spec, err) in cases {
        assert_eq!(parse_standard(spec).unwrap_err(), err, "{spec:?}");
    }
}

#[test]
fn names_and_lists() {
    let s = parse_standard("0 9 * JAN,mar-May mon-FRI").unwrap();
    assert_eq!(spec(&s).month, 1 << 1 | 1 << 3 | 1 << 4 | 1 << 5);
    assert_eq!(spec(&s).dow, 0b11_1110);
    // Go lower-cases İ to a plain i, so FRİ names Friday.
    assert_eq!(spec(&parse_standard("0 0 * * FR\u{130}").unwrap()).dow, 1 << 5);
    // `a/n` runs to the maximum; empty list items are skipped; `*-5` is `*`.
    assert_eq!(spec(&parse_standard("50/4 * * * *").unwrap()).minute, 1 << 50 | 1 << 54 | 1 << 58);
    assert_eq!(spec(&parse_standard(",5,,6, * * * *").unwrap()).minute, 1 << 5 | 1 << 6);
    assert_eq!(spec(&parse_standard("*-5 * * * *").unwrap()).minute, all(&MINUTES));
}

#[test]
fn time_zones() {
    for (spec, location) in [("TZ=Etc/UTC 0 0 * * *", "Etc/UTC"), ("TZ= 0 0 * * *", "UTC"), ("CRON_TZ=Local @daily", "Local")] {
        assert_eq!(spec_location(spec), location, "{spec}");
    }
}

fn spec_location(s: &str) -> &'static str {
    spec(&parse_standard(s).unwrap()).location
}

#[test]
fn durations() {
    let cases = [
        ("1h30m", 5400),
        ("1.5h", 5400),
        ("90s", 90),
        ("1500ms", 1),
        ("500ms", 1),
        ("-5m", 1),
        ("0", 1),
        ("2h45m30.5s", 9930),
        (".5m", 30),
    ];
    for (text, secs) in cases {
        assert_eq!(parse_standard(&format!("@every {text}")), Ok(Schedule(Kind::Every(secs))), "{text}");
    }
    assert_eq!(parse_duration("1µs"), Ok(1_000));
    assert_eq!(parse_duration("1\u{3bc}s"), Ok(1_000));
    assert_eq!(parse_duration("2562047h47m16.854775807s"), Ok(i64::MAX));
    assert_eq!(parse_duration("-2562047h47m16.854775808s"), Ok(i64::MIN));
    assert!(parse_duration("2562047h47m16.854775808s").is_err());
    assert!(parse_duration(".s").is_err());
    assert!(parse_duration("1.s").is_ok());
}

#[test]
fn dom_and_dow_rule() {
    // Both restricted: the 13th or a Friday. 2026-02-06 is a Friday, 2026-02-13 a Friday too.
    let s = parse_standard("0 0 13 * 5").unwrap();
    assert_eq!(s.next(unix_from_civil(2026, 2, 1, 0, 0, 0)), Some(unix_from_civil(2026, 2, 6, 0, 0, 0)));
    // `*/1` keeps the star bit, so both must match: any day that is a Friday.
    let s = parse_standard("0 0 */1 * 5").unwrap();
    assert_eq!(s.next(unix_from_civil(2026, 2, 1, 0, 0, 0)), Some(unix_from_civil(2026, 2, 6, 0, 0, 0)));
    let s = parse_standard("0 0 13 * */1").unwrap();
    assert_eq!(s.next(unix_from_civil(2026, 2, 1, 0, 0, 0)), Some(unix_from_civil(2026, 2, 13, 0, 0, 0)));
}

#[test]
fn far_and_negative_times() {
    let s = parse_standard("@yearly").unwrap();
    assert_eq!(s.next(-1), Some(0));
    assert_eq!(s.next(0), Some(unix_from_civil(1971, 1, 1, 0, 0, 0)));
    assert_eq!(s.next(unix_from_civil(1969, 6, 1, 0, 0, 0)), Some(0));
    assert_eq!(s.next(i64::MAX), None);
    assert_eq!(s.next(i64::MIN), None);
    assert_eq!(parse_standard("@every 1s").unwrap().next(i64::MAX), None);
}

#[test]
fn garbage_never_panics() {
    let garbage = [
        "",
        " ",
        "-",
        "1-",
        "-1",
        "*/0",
        "60",
        "* * * * * * *",
        "@",
        "@every",
        "@every -",
        "@every 1.",
        "@every ..",
        "TZ=",
        "TZ=UTC",
        "CRON_TZ=",
        "TZ=UTC@daily",
        "é",
        "* * * * é",
        "\u{130}",
        "1-\u{130} * * * *",
        "*/ * * * *",
        "/ * * * *",
        ", * * * *",
        "?/? * * * *",
        "*/99999999999999999999 * * * *",
        "-0 * * * *",
        "+5 * * * *",
        "0-59/0 * * * *",
        "\u{a0}* * * * *\u{2003}",
        "@every 9223372036854775807ns",
        "@every 9223372036854775808ns",
        "@every 0.0000000000000000000001s",
        "@every 1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h",
        "TZ=/x * * * * *",
        "TZ=\\x * * * * *",
    ];
    for spec in garbage {
        if let Ok(s) = parse_standard(spec) {
            for t in [i64::MIN, -1, 0, 1_700_000_000, i64::MAX] {
                let _ = s.next(t);
            }
        }
    }
    assert_eq!(parse_standard("-").unwrap_err(), "expected exactly 5 fields, found 1: [-]");
    assert_eq!(parse_standard("*/0 * * * *").unwrap_err(), "step of range should be a positive number: */0");
    // Atoi takes a sign: `+5` is five (a leading `-` is a range with an empty start).
    assert_eq!(spec(&parse_standard("0 +5 * * *").unwrap()).hour, 1 << 5);
    assert_eq!(parse_standard("*/-0 * * * *").unwrap_err(), "step of range should be a positive number: */-0");
}
