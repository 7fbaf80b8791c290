//! Civil-time formatting from unix seconds (UTC; the images' /etc/localtime is UTC, §1.1).

use podplay_k8s_util::time::CivilTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub weekday: &'static str,
    month_name: &'static str,
}

/// The UTC calendar date and time of unix seconds `t` (the one calendar, `podplay_k8s_util::time`).
pub fn civil(t: i64) -> Civil {
    let c = CivilTime::from_unix(t);
    Civil {
        year: c.year,
        month: c.month,
        day: c.day,
        hour: c.hour,
        min: c.minute,
        sec: c.second,
        weekday: c.short_day_name(),
        month_name: c.short_month_name(),
    }
}

fn mon(c: &Civil) -> &'static str {
    c.month_name
}

/// `date`: `Wed Nov 25 12:04:29 UTC 2026` (day space-padded).
pub fn date_default(t: i64) -> String {
    let c = civil(t);
    format!("{} {} {:>2} {:02}:{:02}:{:02} UTC {}", c.weekday, mon(&c), c.day, c.hour, c.min, c.sec, c.year)
}

/// `date -R`: `Wed, 25 Nov 2026 12:04:29 +0000`.
pub fn rfc2822(t: i64) -> String {
    let c = civil(t);
    format!("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", c.weekday, c.day, mon(&c), c.year, c.hour, c.min, c.sec)
}

/// HTTP `Date:` header: `Wed, 25 Nov 2026 12:05:21 GMT`.
pub fn http_date(t: i64) -> String {
    let c = civil(t);
    format!("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", c.weekday, c.day, mon(&c), c.year, c.hour, c.min, c.sec)
}

pub fn iso_date(t: i64) -> String {
    let c = civil(t);
    format!("{}-{:02}-{:02}", c.year, c.month, c.day)
}

/// nginx access log `$time_local`: `25/Nov/2026:10:00:00 +0000`.
pub fn nginx_local(t: i64) -> String {
    let c = civil(t);
    format!("{:02}/{}/{}:{:02}:{:02}:{:02} +0000", c.day, mon(&c), c.year, c.hour, c.min, c.sec)
}

/// nginx error log / Go `log` prefix: `2026/11/25 10:00:00`.
pub fn slash_stamp(t: i64) -> String {
    let c = civil(t);
    format!("{}/{:02}/{:02} {:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.min, c.sec)
}

/// Python http.server `log_date_time_string`: `25/Nov/2026 10:00:00`.
pub fn python_stamp(t: i64) -> String {
    let c = civil(t);
    format!("{:02}/{}/{:04} {:02}:{:02}:{:02}", c.day, mon(&c), c.year, c.hour, c.min, c.sec)
}

/// Redis log stamp: `25 Nov 2026 12:23:15.491`.
pub fn redis_stamp(t_ms: i64) -> String {
    let c = civil(t_ms.div_euclid(1000));
    format!("{:02} {} {} {:02}:{:02}:{:02}.{:03}", c.day, mon(&c), c.year, c.hour, c.min, c.sec, t_ms.rem_euclid(1000))
}

/// `ls -l` time column: `Nov 25 12:05`, or `May 13  2026` when older than ~6 months / in the future.
pub fn ls_time(mtime: i64, now: i64) -> String {
    let c = civil(mtime);
    if now - mtime > 15_552_000 || mtime > now + 3600 {
        format!("{} {:>2}  {}", mon(&c), c.day, c.year)
    } else {
        format!("{} {:>2} {:02}:{:02}", mon(&c), c.day, c.hour, c.min)
    }
}

/// Minimal strftime for `date +FMT`.
pub fn strftime(fmt: &str, t: i64) -> String {
    let c = civil(t);
    let mut o = String::new();
    let mut it = fmt.chars();
    while let Some(ch) = it.next() {
        if ch != '%' {
            o.push(ch);
            continue;
        }
        match it.next() {
            Some('Y') => o.push_str(&c.year.to_string()),
            Some('m') => o.push_str(&format!("{:02}", c.month)),
            Some('d') => o.push_str(&format!("{:02}", c.day)),
            Some('H') => o.push_str(&format!("{:02}", c.hour)),
            Some('M') => o.push_str(&format!("{:02}", c.min)),
            Some('S') => o.push_str(&format!("{:02}", c.sec)),
            Some('s') => o.push_str(&t.to_string()),
            Some('T') => o.push_str(&format!("{:02}:{:02}:{:02}", c.hour, c.min, c.sec)),
            Some('F') => o.push_str(&iso_date(t)),
            Some('a') => o.push_str(c.weekday),
            Some('b') => o.push_str(mon(&c)),
            Some('Z') => o.push_str("UTC"),
            Some('%') => o.push('%'),
            Some(x) => {
                o.push('%');
                o.push(x);
            }
            None => o.push('%'),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn formats() {
        // 2026-11-25 12:04:29 UTC (images.md §1.4 `date`)
        let t = 1_795_600_800 + 2 * 3600 + 4 * 60 + 29;
        assert_eq!(date_default(t), "Wed Nov 25 12:04:29 UTC 2026");
        assert_eq!(rfc2822(t), "Wed, 25 Nov 2026 12:04:29 +0000");
        assert_eq!(iso_date(t), "2026-11-25");
        assert_eq!(nginx_local(t), "25/Nov/2026:12:04:29 +0000");
        // day padding
        assert_eq!(date_default(1_762_128_000), "Mon Nov  3 00:00:00 UTC 2025");
        // busybox 1.38 image files: `May 13  2026` once older than six months
        assert_eq!(ls_time(1_778_638_909, t), "May 13  2026");
        assert_eq!(ls_time(t - 60, t), "Nov 25 12:03");
    }
}
