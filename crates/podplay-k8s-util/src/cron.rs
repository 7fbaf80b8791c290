//! `github.com/robfig/cron/v3` (v3.0.1) as Kubernetes uses it: `cron.ParseStandard` validates
//! `CronJob.spec.schedule` in the API server, and the CronJob controller asks the parsed
//! schedule's `Next` for each activation.
//!
//! * [`parse_standard`] ports `parser.go` with the standard parser's options
//!   (`Minute | Hour | Dom | Month | Dow | Descriptor`): five fields, the seconds field fixed to 0,
//!   descriptors (`@hourly`, …, `@every <duration>`) and an optional `TZ=`/`CRON_TZ=` prefix.
//! * [`Schedule::next`] ports `SpecSchedule.Next` (`spec.go`) and `ConstantDelaySchedule.Next`
//!   (`constantdelay.go`).
//!
//! podplay has no time-zone database and its virtual clock is UTC, so every schedule is
//! evaluated in UTC: `time.Local` (no prefix) and `UTC` behave alike, and a prefix naming any
//! other zone is refused as Go's `time.LoadLocation` refuses a zone it cannot find. Times are
//! whole Unix seconds, which is all robfig's schedules resolve anyway.

use crate::gofmt;
use crate::time::{unix_from_civil, CivilTime};

/// A parsed schedule (robfig `Schedule`): a `SpecSchedule` or an `@every` delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule(Kind);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Spec(SpecSchedule),
    /// `ConstantDelaySchedule.Delay` in whole seconds (`Every` truncates below a second).
    Every(i64),
}

/// robfig `SpecSchedule`: one bit per allowed value, plus [`STAR_BIT`] where the field was `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SpecSchedule {
    second: u64,
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    /// The location's Go name (`Local`, `UTC`, `Etc/UTC`): kept so two parses compare as robfig's
    /// `reflect.DeepEqual` would, though all of them are evaluated in UTC.
    location: &'static str,
}

/// robfig `bounds`: the allowed range of a field and its names.
struct Bounds {
    min: u64,
    max: u64,
    names: &'static [(&'static str, u64)],
}

const SECONDS: Bounds = Bounds { min: 0, max: 59, names: &[] };
const MINUTES: Bounds = Bounds { min: 0, max: 59, names: &[] };
const HOURS: Bounds = Bounds { min: 0, max: 23, names: &[] };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[] };
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds { min: 0, max: 6, names: &[("sun", 0), ("mon", 1), ("tue", 2), ("wed", 3), ("thu", 4), ("fri", 5), ("sat", 6)] };

/// Set when a field was `*` or `?`: `dayMatches` then requires both day fields to match.
const STAR_BIT: u64 = 1 << 63;

/// Inputs beyond ±2^55 s (about a billion years) give `None` from [`Schedule::next`], so the
/// civil-date arithmetic can never overflow; Go's own `time` arithmetic breaks down long before.
const MAX_ABS_UNIX: i64 = 1 << 55;

/// Go `time.Duration` units in nanoseconds.
const SECOND_NS: i64 = 1_000_000_000;

/// robfig v3 `ParseStandard` (minute hour dom month dow, plus descriptors @yearly @annually
/// @monthly @weekly @daily @midnight @hourly and `@every <Go duration>`; an optional leading
/// `TZ=<loc> ` or `CRON_TZ=<loc> `). Errors are robfig's texts exactly (e.g.
/// `expected exactly 5 fields, found 1: [foo]`, `empty spec string`,
/// `unrecognized descriptor: @foo`, `end of range (60) above maximum (59): 60`, ...). Time zones:
/// podplay has no time-zone database, so only `UTC` (and `Etc/UTC`) are known in a TZ= prefix
/// (plus Go's built-in `""` and `Local`); any other location gives robfig's
/// `provided bad location X: unknown time zone X` (Go's LoadLocation text).
pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".to_string());
    }
    let (location, spec) = split_location(spec)?;
    if spec.starts_with('@') {
        return parse_descriptor(spec, location);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        let shown: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        return Err(format!("expected exactly 5 fields, found {}: {}", fields.len(), gofmt::slice(&shown)));
    }
    // robfig parses in field order and stops at the first error, so the error names the
    // leftmost bad field; the seconds field is the standard parser's default "0".
    Ok(Schedule(Kind::Spec(SpecSchedule {
        second: get_field("0", &SECONDS)?,
        minute: get_field(fields[0], &MINUTES)?,
        hour: get_field(fields[1], &HOURS)?,
        dom: get_field(fields[2], &DOM)?,
        month: get_field(fields[3], &MONTHS)?,
        dow: get_field(fields[4], &DOW)?,
        location,
    })))
}

/// The `TZ=`/`CRON_TZ=` prefix of `Parser.Parse`: the location runs from after the first `=` to
/// the first space, and the rest, trimmed, is the spec.
fn split_location(spec: &str) -> Result<(&'static str, &str), String> {
    if !(spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=")) {
        return Ok(("Local", spec));
    }
    let eq = spec.find('=').unwrap_or(0);
    // Without a space robfig slices `spec[eq+1:-1]` and panics; podplay must not, so it returns
    // the text of that Go panic as the error instead.
    let Some(space) = spec.find(' ') else {
        return Err("runtime error: slice bounds out of range [:-1]".to_string());
    };
    let name = &spec[eq + 1..space];
    let location = load_location(name).map_err(|e| format!("provided bad location {name}: {e}"))?;
    Ok((location, spec[space..].trim()))
}

/// Go `time.LoadLocation` without a zone database: its built-in names, plus `Etc/UTC`, which every
/// database has and which is UTC under another name.
fn load_location(name: &str) -> Result<&'static str, String> {
    match name {
        "" | "UTC" => Ok("UTC"),
        "Local" => Ok("Local"),
        "Etc/UTC" => Ok("Etc/UTC"),
        _ if name.contains("..") || name.starts_with('/') || name.starts_with('\\') => Err("time: invalid location name".to_string()),
        _ => Err(format!("unknown time zone {name}")),
    }
}

/// robfig `parseDescriptor`: the fixed schedules, then `@every <duration>`.
fn parse_descriptor(descriptor: &str, location: &'static str) -> Result<Schedule, String> {
    let first = |b: &Bounds| 1u64 << b.min;
    let spec = |minute, hour, dom, month, dow| {
        Ok(Schedule(Kind::Spec(SpecSchedule { second: first(&SECONDS), minute, hour, dom, month, dow, location })))
    };
    match descriptor {
        "@yearly" | "@annually" => spec(first(&MINUTES), first(&HOURS), first(&DOM), first(&MONTHS), all(&DOW)),
        "@monthly" => spec(first(&MINUTES), first(&HOURS), first(&DOM), all(&MONTHS), all(&DOW)),
        "@weekly" => spec(first(&MINUTES), first(&HOURS), all(&DOM), all(&MONTHS), first(&DOW)),
        "@daily" | "@midnight" => spec(first(&MINUTES), first(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        "@hourly" => spec(first(&MINUTES), all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        _ => match descriptor.strip_prefix("@every ") {
            Some(text) => {
                let nanos = parse_duration(text).map_err(|e| format!("failed to parse duration {descriptor}: {e}"))?;
                Ok(every(nanos))
            }
            None => Err(format!("unrecognized descriptor: {descriptor}")),
        },
    }
}

/// robfig `Every`: delays under a second become a second, and the sub-second part is dropped.
fn every(nanos: i64) -> Schedule {
    Schedule(Kind::Every(nanos.max(SECOND_NS) / SECOND_NS))
}

/// robfig `getField`: a comma-separated list of ranges; empty items are skipped, as Go's
/// `strings.FieldsFunc` drops them.
fn get_field(field: &str, r: &Bounds) -> Result<u64, String> {
    let mut bits = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        bits |= get_range(expr, r)?;
    }
    Ok(bits)
}

/// robfig `getRange`: `number | number "-" number [ "/" number ]`, `*`/`?`, names, and
/// `N/step` meaning `N-max/step`.
fn get_range(expr: &str, r: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single_digit = low_and_high.len() == 1;
    // Like robfig, a `*` or `?` ignores anything after a hyphen (`*-5` is `*`).
    let (start, mut end, mut extra) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (r.min, r.max, STAR_BIT)
    } else {
        let start = parse_int_or_name(low_and_high[0], r.names)?;
        let end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], r.names)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end, 0)
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            if single_digit {
                end = r.max;
            }
            // `*/1` keeps the star (so the day fields still both have to match); `*/2` does not.
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    check_range(expr, r, start, end, step)?;
    Ok(get_bits(start, end, step) | extra)
}

/// robfig's range checks, in its order.
fn check_range(expr: &str, r: &Bounds, start: u64, end: u64, step: u64) -> Result<(), String> {
    if start < r.min {
        return Err(format!("beginning of range ({start}) below minimum ({}): {expr}", r.min));
    }
    if end > r.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", r.max));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(())
}

/// robfig `parseIntOrName`: a name (compared lower-cased, as Go's `strings.ToLower`) or a number.
fn parse_int_or_name(expr: &str, names: &[(&str, u64)]) -> Result<u64, String> {
    let lower = go_to_lower(expr);
    match names.iter().find(|(name, _)| *name == lower) {
        Some(&(_, value)) => Ok(value),
        None => must_parse_int(expr),
    }
}

/// Go `strings.ToLower`: rune by rune simple case mapping. Rust's `to_lowercase` is the full
/// mapping, which differs only for U+0130 (İ), which Go maps to a plain `i`.
fn go_to_lower(s: &str) -> String {
    s.chars().map(|c| if c == '\u{130}' { 'i' } else { c.to_lowercase().next().unwrap_or(c) }).collect()
}

/// robfig `mustParseInt`: Go `strconv.Atoi`, then negatives refused.
fn must_parse_int(expr: &str) -> Result<u64, String> {
    let num = atoi(expr).map_err(|e| format!("failed to parse int from {expr}: {e}"))?;
    if num < 0 {
        return Err(format!("negative number ({num}) not allowed: {expr}"));
    }
    Ok(num.unsigned_abs())
}

/// Go `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits; the first problem
/// scanning left to right decides between `invalid syntax` and `value out of range`.
fn atoi(s: &str) -> Result<i64, String> {
    let fail = |why: &str| format!("strconv.Atoi: parsing {}: {why}", gofmt::quote(s));
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(fail("invalid syntax"));
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return Err(fail("invalid syntax"));
        }
        n = n.checked_mul(10).and_then(|n| n.checked_add(u64::from(b - b'0'))).ok_or_else(|| fail("value out of range"))?;
    }
    let limit = if neg { 1u64 << 63 } else { (1u64 << 63) - 1 };
    if n > limit {
        return Err(fail("value out of range"));
    }
    // n ≤ 2^63 here, so the wrapping negation is exact (2^63 becomes i64::MIN).
    Ok(if neg { (n as i64).wrapping_neg() } else { n as i64 })
}

/// robfig `getBits`: every `step`th value in `[min, max]`. Go shifts of 64 or more give 0, which
/// `checked_shl` reproduces without Rust's overflow panic.
fn get_bits(min: u64, max: u64, step: u64) -> u64 {
    let shl = |v: u64, by: u64| u32::try_from(by).ok().and_then(|by| v.checked_shl(by)).unwrap_or(0);
    if step == 1 {
        return !shl(u64::MAX, max.saturating_add(1)) & shl(u64::MAX, min);
    }
    let mut bits = 0;
    let mut i = min;
    while i <= max && step > 0 {
        bits |= shl(1, i);
        let Some(next) = i.checked_add(step) else { break };
        i = next;
    }
    bits
}

/// robfig `all`: every value of the field, plus the star bit.
fn all(r: &Bounds) -> u64 {
    get_bits(r.min, r.max, 1) | STAR_BIT
}

/// Go `time.ParseDuration` (`[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`), in nanoseconds, with Go's errors.
fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_time_quote(orig));
    let (neg, mut s) = match orig.as_bytes().first() {
        Some(b'-') => (true, &orig[1..]),
        Some(b'+') => (false, &orig[1..]),
        _ => (false, orig),
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        let (v, rest) = duration_term(s, orig)?;
        s = rest;
        total = total.checked_add(v).filter(|&d| d <= 1 << 63).ok_or_else(invalid)?;
    }
    match (neg, i64::try_from(total)) {
        (false, Ok(d)) => Ok(d),
        (false, Err(_)) => Err(invalid()),
        // total ≤ 2^63: negating it is exact.
        (true, _) => Ok((total as i64).wrapping_neg()),
    }
}

/// One `[0-9]*(\.[0-9]*)?unit` term of [`parse_duration`]: its nanoseconds and the rest of `s`.
fn duration_term<'a>(s: &'a str, orig: &str) -> Result<(u64, &'a str), String> {
    let invalid = || format!("time: invalid duration {}", go_time_quote(orig));
    if !s.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
        return Err(invalid());
    }
    let (v, rest) = leading_int(s).ok_or_else(invalid)?;
    let pre = rest.len() != s.len();
    let (f, scale, rest, post) = match rest.strip_prefix('.') {
        Some(after) => {
            let (f, scale, r) = leading_fraction(after);
            (f, scale, r, r.len() != after.len())
        }
        None => (0, 1.0, rest, false),
    };
    if !pre && !post {
        return Err(invalid());
    }
    let unit_len = rest.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(rest.len());
    if unit_len == 0 {
        return Err(format!("time: missing unit in duration {}", go_time_quote(orig)));
    }
    let (unit_name, rest) = rest.split_at(unit_len);
    let unit = duration_unit(unit_name)
        .ok_or_else(|| format!("time: unknown unit {} in duration {}", go_time_quote(unit_name), go_time_quote(orig)))?;
    if v > (1 << 63) / unit {
        return Err(invalid());
    }
    let mut v = v * unit;
    if f > 0 {
        // As Go: float64 keeps fractions of an hour nanosecond-accurate.
        v += (f as f64 * (unit as f64 / scale)) as u64;
        if v > 1 << 63 {
            return Err(invalid());
        }
    }
    Ok((v, rest))
}

/// Go `time.leadingInt`: the leading digits, or `None` past 2^63.
fn leading_int(s: &str) -> Option<(u64, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let mut x: u64 = 0;
    for b in s[..end].bytes() {
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(b - b'0');
        if x > 1 << 63 {
            return None;
        }
    }
    Some((x, &s[end..]))
}

/// Go `time.leadingFraction`: the leading digits as `x / scale`, precision dropped on overflow.
fn leading_fraction(s: &str) -> (u64, f64, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (mut x, mut scale, mut overflow) = (0u64, 1.0f64, false);
    for b in s[..end].bytes() {
        if overflow {
            continue;
        }
        if x > ((1 << 63) - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(b - b'0');
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[end..])
}

/// Go `time`'s `unitMap`, in nanoseconds.
fn duration_unit(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Go `time.quote` (not `strconv.Quote`): bytes of non-ASCII or control characters as `\xNN`,
/// `"` and `\` escaped.
fn go_time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

impl Schedule {
    /// robfig `Next(t)`: the first activation strictly after `t` (unix seconds, UTC; robfig works
    /// at whole seconds), or None where robfig returns the zero time (nothing within five years).
    pub fn next(&self, t: i64) -> Option<i64> {
        match &self.0 {
            Kind::Spec(spec) => spec.next(t),
            // ConstantDelaySchedule.Next: `t + delay`, already on the second here.
            Kind::Every(delay) => t.checked_add(*delay),
        }
    }
}

/// What one field's search ended with: the field matches at this time, or the search carried
/// into the next larger unit and robfig's `goto WRAP` restarts from the month.
enum Search {
    Matched,
    Wrapped,
}

impl SpecSchedule {
    /// robfig `SpecSchedule.Next` in UTC: start at the next whole second, then for month, day,
    /// hour, minute and second advance the field until it matches; a carry into a larger field
    /// restarts the checks, and nothing within five years gives the zero time (`None`).
    fn next(&self, t: i64) -> Option<i64> {
        if t.unsigned_abs() > MAX_ABS_UNIX as u64 {
            return None;
        }
        let mut t = t + 1;
        let mut added = false;
        let year_limit = CivilTime::from_unix(t).year + 5;
        loop {
            if CivilTime::from_unix(t).year > year_limit {
                return None;
            }
            let searches: [fn(&Self, &mut i64, &mut bool) -> Search; 5] =
                [Self::find_month, Self::find_day, Self::find_hour, Self::find_minute, Self::find_second];
            if searches.iter().all(|search| matches!(search(self, &mut t, &mut added), Search::Matched)) {
                return Some(t);
            }
        }
    }

    /// The first month: the first change moves to the 1st at midnight, since the current day and
    /// time no longer matter; a step into January is a wrap.
    fn find_month(&self, t: &mut i64, added: &mut bool) -> Search {
        while !has_bit(self.month, CivilTime::from_unix(*t).month) {
            if !*added {
                *added = true;
                let c = CivilTime::from_unix(*t);
                *t = unix_from_civil(c.year, c.month, 1, 0, 0, 0);
            }
            *t = add_one_month(*t);
            if CivilTime::from_unix(*t).month == 1 {
                return Search::Wrapped;
            }
        }
        Search::Matched
    }

    /// The first day (DOM/DOW rule of [`day_matches`]); a step into the 1st is a wrap. robfig's
    /// correction for a midnight lost to daylight saving only acts here on a time that is not at
    /// midnight, which it snaps back to one as Go does.
    fn find_day(&self, t: &mut i64, added: &mut bool) -> Search {
        while !self.day_matches(&CivilTime::from_unix(*t)) {
            if !*added {
                *added = true;
                *t = truncate(*t, 86_400);
            }
            *t += 86_400;
            let hour = i64::from(CivilTime::from_unix(*t).hour);
            if hour != 0 {
                *t += if hour > 12 { (24 - hour) * 3600 } else { -hour * 3600 };
            }
            if CivilTime::from_unix(*t).day == 1 {
                return Search::Wrapped;
            }
        }
        Search::Matched
    }

    fn find_hour(&self, t: &mut i64, added: &mut bool) -> Search {
        self.find_unit(t, added, 3600, |c| (c.hour, self.hour))
    }

    fn find_minute(&self, t: &mut i64, added: &mut bool) -> Search {
        self.find_unit(t, added, 60, |c| (c.minute, self.minute))
    }

    fn find_second(&self, t: &mut i64, added: &mut bool) -> Search {
        self.find_unit(t, added, 1, |c| (c.second, self.second))
    }

    /// Hour, minute and second alike: truncate on the first change, step one unit until the bit
    /// is set, and a step back to 0 is a wrap.
    fn find_unit(&self, t: &mut i64, added: &mut bool, unit: i64, field: impl Fn(&CivilTime) -> (u32, u64)) -> Search {
        loop {
            let (value, bits) = field(&CivilTime::from_unix(*t));
            if has_bit(bits, value) {
                return Search::Matched;
            }
            if !*added {
                *added = true;
                *t = truncate(*t, unit);
            }
            *t += unit;
            if field(&CivilTime::from_unix(*t)).0 == 0 {
                return Search::Wrapped;
            }
        }
    }

    /// robfig `dayMatches`: if either day field was `*` (or `?`) both must match, else either.
    fn day_matches(&self, c: &CivilTime) -> bool {
        let dom_match = has_bit(self.dom, c.day);
        let dow_match = has_bit(self.dow, c.weekday);
        if self.dom & STAR_BIT != 0 || self.dow & STAR_BIT != 0 {
            dom_match && dow_match
        } else {
            dom_match || dow_match
        }
    }
}

fn has_bit(bits: u64, value: u32) -> bool {
    value < 64 && bits & (1 << value) != 0
}

/// Go `Time.Truncate` in UTC: Go truncates relative to year 1, whose distance from the Unix epoch
/// is a whole number of days, so flooring Unix seconds gives the same instant.
fn truncate(t: i64, unit: i64) -> i64 {
    t - t.rem_euclid(unit)
}

/// Go `AddDate(0, 1, 0)`: the same day next month, an overflowing day rolling into the month after
/// (Jan 31 → Mar 3), as `time.Date` normalises.
fn add_one_month(t: i64) -> i64 {
    let c = CivilTime::from_unix(t);
    let (year, month) = if c.month == 12 { (c.year + 1, 1) } else { (c.year, c.month + 1) };
    unix_from_civil(year, month, 1, c.hour, c.minute, c.second) + i64::from(c.day - 1) * 86_400
}

#[cfg(test)]
#[path = "cron_tests.rs"]
mod tests;
