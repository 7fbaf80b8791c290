//! curl 7.79.1, the program alpine 3.12's `curl` package installs at `/usr/bin/curl` (the
//! agnhost image's `apk add ... curl`; agnhost 2.40 is built `FROM alpine:3.12`). Not a busybox
//! applet: it runs through the same `Host` as they do. Its texts are curl's (`src/tool_*.c`,
//! `lib/connect.c`, `lib/multi.c`, `lib/http.c`, `lib/progress.c` of that release) with musl's
//! `strerror` words (`Operation timed out`, `Network unreachable`).
//!
//! What it does: `curl [options] URL...` over HTTP (no TLS: an `https://` URL reaches a
//! plain-HTTP server and fails its handshake as OpenSSL 1.1.1 does), the progress meter on
//! stderr (stdout is never a terminal in a container without `-t`), `-s`, `-S`, `-f`, `-o`,
//! `-i`, `-v`, `-L`, `-H`, `-A`, `-k`, `-w`, `-m/--max-time`, `--connect-timeout`, `-X GET`.
//! A connection whose SYN goes unanswered waits out the first of `--connect-timeout`,
//! `--max-time` and Linux's own give-up (6 SYN retries: 127 s) before it fails; the transfers
//! themselves take no virtual time (the meter and `-w`'s times count one millisecond). Real
//! curl options podplay does not model are refused with a message naming them; after a URL that
//! waited, the URLs after it are not fetched (podplay differs: curl goes on with them).

use super::{Applet, Ctx};
use crate::fs::normalize;
use crate::io::Stream;
use crate::programs::{Action, Behavior, Prog, SigReaction, SignalDelivery};
use crate::shell::host::{Host, HttpReply, NetError};
use crate::types::Millis;

pub const VERSION: &str = "7.79.1";

/// Linux's `connect()` on a SYN nobody answers: `tcp_syn_retries` 6, 1+2+4+…+64 s.
const SYN_GIVE_UP: Millis = 127_000;

/// What a transfer is taken to last (the meter's speed, `-w`'s times): a pod network's
/// round trips are well under a millisecond, curl's clock reads at least one.
const TRANSFER_MS: u64 = 1;

const TRY_HELP: &str = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/// Real curl options podplay's curl does not model (refused by name, not as unknown).
const UNMODELLED: &[&str] = &[
    "-I",
    "--head",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "-F",
    "--form",
    "-u",
    "--user",
    "-x",
    "--proxy",
    "-T",
    "--upload-file",
    "-V",
    "--version",
    "-O",
    "--remote-name",
    "-c",
    "--cookie-jar",
    "-b",
    "--cookie",
    "-e",
    "--referer",
    "--http2",
    "--http1.0",
    "--resolve",
    "--unix-socket",
    "--retry",
    "--cacert",
    "-E",
    "--cert",
    "--compressed",
    "-G",
    "--get",
    "-h",
    "--help",
    "-M",
    "--manual",
    "-#",
    "--progress-bar",
    "-r",
    "--range",
    "-C",
    "--continue-at",
    "-K",
    "--config",
    "-D",
    "--dump-header",
    "-n",
    "--netrc",
    "-N",
    "--no-buffer",
    "-Z",
    "--parallel",
    "--trace",
    "--trace-ascii",
    "--fail-with-body",
    "-4",
    "--ipv4",
    "-6",
    "--ipv6",
    "--max-redirs",
    "--stderr",
    "-j",
    "--junk-session-cookies",
];

#[derive(Default)]
struct Opts {
    silent: bool,
    show_error: bool,
    fail: bool,
    verbose: bool,
    include: bool,
    location: bool,
    output: Option<String>,
    max_time: Option<Millis>,
    connect_timeout: Option<Millis>,
    headers: Vec<(String, String)>,
    user_agent: Option<String>,
    write_out: Option<String>,
    urls: Vec<String>,
}

/// What went wrong with a command line: curl's `option X: ...` texts, exit 2.
enum Bad {
    Unknown(String),
    NeedsValue(String),
    Numeric(String),
    Unmodelled(String),
}

fn numeric_seconds(v: &str) -> Option<Millis> {
    // `str2udouble`: a decimal number of seconds, not negative.
    let ok = !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.') && v.matches('.').count() <= 1 && v != ".";
    if !ok {
        return None;
    }
    let secs: f64 = v.parse().ok()?;
    Some((secs * 1000.0).round() as Millis)
}

/// curl's short options and the long ones they stand for.
const SHORT: &[(char, &str)] = &[
    ('s', "--silent"),
    ('S', "--show-error"),
    ('f', "--fail"),
    ('v', "--verbose"),
    ('i', "--include"),
    ('L', "--location"),
    ('k', "--insecure"),
    ('o', "--output"),
    ('m', "--max-time"),
    ('H', "--header"),
    ('A', "--user-agent"),
    ('w', "--write-out"),
    ('X', "--request"),
];

/// The modelled options that take a value (the next word; for a short one, the rest of its
/// word when there is one).
const TAKES_VALUE: &[&str] =
    &["--output", "--max-time", "--connect-timeout", "--header", "--user-agent", "--write-out", "--request", "--url"];

fn parse(argv: &[String]) -> Result<Opts, Bad> {
    let mut o = Opts::default();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        if a.starts_with("--") && a.len() > 2 {
            if TAKES_VALUE.contains(&a) {
                let v = argv.get(i).cloned().ok_or_else(|| Bad::NeedsValue(a.to_string()))?;
                i += 1;
                set_value(&mut o, a, a, v)?;
            } else if !set_switch(&mut o, a) {
                return Err(unknown_option(a.to_string()));
            }
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            // A cluster of short options; one that takes a value takes the rest of the word, or
            // the next word.
            let chars: Vec<char> = a[1..].chars().collect();
            for (k, &ch) in chars.iter().enumerate() {
                let flag = format!("-{ch}");
                let Some(&(_, long)) = SHORT.iter().find(|(c, _)| *c == ch) else { return Err(unknown_option(flag)) };
                if !TAKES_VALUE.contains(&long) {
                    set_switch(&mut o, long);
                    continue;
                }
                let rest: String = chars[k + 1..].iter().collect();
                let v = if rest.is_empty() {
                    let v = argv.get(i).cloned().ok_or_else(|| Bad::NeedsValue(flag.clone()))?;
                    i += 1;
                    v
                } else {
                    rest
                };
                set_value(&mut o, long, &flag, v)?;
                break;
            }
            continue;
        }
        o.urls.push(a.to_string());
    }
    Ok(o)
}

/// An option without a value, by its long name; false when it is not one.
fn set_switch(o: &mut Opts, long: &str) -> bool {
    match long {
        "--silent" => o.silent = true,
        "--show-error" => o.show_error = true,
        "--fail" => o.fail = true,
        "--verbose" => o.verbose = true,
        "--include" => o.include = true,
        "--location" => o.location = true,
        "--insecure" => {}
        _ => return false,
    }
    true
}

/// An option with value `v`, by its long name; `typed` is how the command line wrote it (the
/// name curl's errors use).
fn set_value(o: &mut Opts, long: &str, typed: &str, v: String) -> Result<(), Bad> {
    let seconds = |v: &str| numeric_seconds(v).ok_or_else(|| Bad::Numeric(typed.to_string()));
    match long {
        "--output" => o.output = Some(v),
        "--max-time" => o.max_time = Some(seconds(&v)?),
        "--connect-timeout" => o.connect_timeout = Some(seconds(&v)?),
        "--header" => push_header(o, &v),
        "--user-agent" => o.user_agent = Some(v),
        "--write-out" => o.write_out = Some(v),
        "--request" => request(&v, typed)?,
        _ => o.urls.push(v),
    }
    Ok(())
}

/// An option podplay does not model (curl has it) or that curl has not.
fn unknown_option(flag: String) -> Bad {
    if UNMODELLED.contains(&flag.as_str()) {
        Bad::Unmodelled(flag)
    } else {
        Bad::Unknown(flag)
    }
}

fn push_header(o: &mut Opts, h: &str) {
    if let Some((k, v)) = h.split_once(':') {
        o.headers.push((k.trim().to_string(), v.trim().to_string()));
    }
}

/// `-X`: podplay's network carries GETs only.
fn request(method: &str, flag: &str) -> Result<(), Bad> {
    if method == "GET" {
        Ok(())
    } else {
        Err(Bad::Unmodelled(format!("{flag} {method}")))
    }
}

/// A URL as curl's parser splits it (scheme guessed as http when missing).
struct Url {
    https: bool,
    host: String,
    port: u16,
    explicit_port: bool,
    /// Path and query, as sent.
    target: String,
}

/// The schemes alpine's libcurl supports besides HTTP(S).
const OTHER_SCHEMES: &[&str] = &[
    "dict", "file", "ftp", "ftps", "gopher", "gophers", "imap", "imaps", "mqtt", "pop3", "pop3s", "rtsp", "smb", "smbs", "smtp", "smtps",
    "telnet", "tftp",
];

/// Why a URL is not fetched: curl's exit code and message.
fn parse_url(u: &str) -> Result<Url, (i32, String)> {
    let malformed = || (3, "URL using bad/illegal format or missing URL".to_string());
    let (scheme, rest) = match u.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), u),
    };
    let https = match scheme.as_str() {
        "http" => false,
        "https" => true,
        s if OTHER_SCHEMES.contains(&s) => return Err((1, format!("Protocol \"{s}\" is not modelled by podplay's curl"))),
        s => return Err((1, format!("Protocol \"{s}\" not supported or disabled in libcurl"))),
    };
    let rest = rest.split('#').next().unwrap_or("");
    let cut = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(cut);
    let target = if target.starts_with('?') {
        format!("/{target}")
    } else if target.is_empty() {
        "/".into()
    } else {
        target.into()
    };
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port, explicit_port) = match hostport.rsplit_once(':') {
        Some((h, "")) => (h, if https { 443 } else { 80 }, false),
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| malformed())?, true),
        None => (hostport, if https { 443 } else { 80 }, false),
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(malformed());
    }
    Ok(Url { https, host: host.to_ascii_lowercase(), port, explicit_port, target })
}

/// `max5data`: a byte count or speed in five columns.
fn max5(n: u64) -> String {
    const K: u64 = 1024;
    const M: u64 = K * K;
    if n < 100_000 {
        format!("{n:>5}")
    } else if n < 10_000 * K {
        format!("{:>4}k", n / K)
    } else if n < 100 * M {
        format!("{:>2}.{}M", n / M, (n % M) / (M / 10))
    } else if n < 10_000 * M {
        format!("{:>4}M", n / M)
    } else {
        format!("{:>4}G", n / (M * K))
    }
}

/// `time2str`: `--:--:--` for nothing, else `H:MM:SS` in eight columns.
fn time2str(secs: u64) -> String {
    if secs == 0 {
        return "--:--:--".into();
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    format!("{h:>2}:{m:02}:{s:02}")
}

const METER_HEAD: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

/// One `\r`-led line of libcurl's progress meter: `size` the body's length when known.
fn meter_line(size: Option<u64>, got: u64, speed: u64, spent: u64) -> String {
    let expected = size.unwrap_or(got);
    let total_pct = (got * 100).checked_div(expected).unwrap_or(0);
    let dl_pct = match size {
        Some(s) if s > 0 => got * 100 / s,
        _ => 0,
    };
    let left = match size {
        Some(s) if speed > 0 && s > got => (s - got) / speed,
        _ => 0,
    };
    let total_time = match size {
        Some(s) if speed > 0 && spent > 0 => s / speed,
        _ => 0,
    };
    format!(
        "\r{total_pct:>3} {}  {dl_pct:>3} {}    0 {}  {}  {} {} {} {} {}",
        max5(expected),
        max5(got),
        max5(0),
        max5(speed),
        max5(0),
        time2str(total_time),
        time2str(spent),
        time2str(left),
        max5(speed)
    )
}

/// A zero meter line `spent` seconds into a wait.
fn zero_line(spent: u64) -> String {
    meter_line(None, 0, 0, spent)
}

/// What one URL's transfer wrote, and how it ended.
struct Transfer {
    out: Vec<u8>,
    err: Vec<u8>,
    code: i32,
    /// It waited this long (an unanswered SYN) before ending.
    waited: Millis,
    http_code: u16,
    size: u64,
    url_effective: String,
    content_type: String,
    remote: Option<(String, u16)>,
    redirects: u32,
    errormsg: String,
}

pub fn curl(h: &mut dyn Host, c: &Ctx) -> Applet {
    let o = match parse(c.argv) {
        Ok(o) => o,
        Err(bad) => {
            let msg = match bad {
                Bad::Unknown(f) => format!("curl: option {f}: is unknown\n{TRY_HELP}"),
                Bad::NeedsValue(f) => format!("curl: option {f}: requires parameter\n{TRY_HELP}"),
                Bad::Numeric(f) => format!("curl: option {f}: expected a proper numerical parameter\n{TRY_HELP}"),
                Bad::Unmodelled(f) => format!("curl: option {f}: podplay's curl does not model this option\n"),
            };
            h.write(&c.fds.stderr, msg.as_bytes());
            return Applet::Exit(2);
        }
    };
    if o.urls.is_empty() {
        h.write(&c.fds.stderr, format!("curl: no URL specified!\n{TRY_HELP}").as_bytes());
        return Applet::Exit(2);
    }
    let mut code = 0;
    for url in &o.urls {
        let t = transfer(h, c, &o, url);
        code = t.code;
        let mut out = t.out.clone();
        if let Some(w) = &o.write_out {
            out.extend(write_out(h, c, w, &t).into_bytes());
        }
        if t.waited > 0 {
            // The meter's head and zero line at once; its seconds and the rest when the wait
            // ends.
            let now = h.now();
            let meter = !o.silent;
            let at_once = if meter { METER_HEAD.len() + zero_line(0).len() } else { 0 };
            let (first, rest) = t.err.split_at(at_once);
            h.write(&c.fds.stderr, first);
            let mut later = String::new();
            if meter {
                for s in 1..=t.waited / 1000 {
                    later.push_str(&zero_line(s));
                }
            }
            let mut later = later.into_bytes();
            later.extend_from_slice(rest);
            let end = now + t.waited;
            let timeline =
                vec![(end, Action::Write(Stream::Stderr, later)), (end, Action::Write(Stream::Stdout, out)), (end, Action::Exit(t.code))];
            return Applet::Program(Prog::new(Waiting, now, timeline));
        }
        h.write(&c.fds.stdout, &out);
        h.write(&c.fds.stderr, &t.err);
    }
    Applet::Exit(code)
}

/// curl waiting on a connection: no signal handlers of its own.
struct Waiting;

impl Behavior for Waiting {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        signal.default_action()
    }
}

fn transfer(h: &mut dyn Host, c: &Ctx, o: &Opts, raw: &str) -> Transfer {
    let mut t = Transfer {
        out: Vec::new(),
        err: Vec::new(),
        code: 0,
        waited: 0,
        http_code: 0,
        size: 0,
        url_effective: raw.to_string(),
        content_type: String::new(),
        remote: None,
        redirects: 0,
        errormsg: String::new(),
    };
    let meter = !o.silent;
    let shows_errors = !o.silent || o.show_error;
    // The meter's head and first line come before anything the transfer says.
    let mut err = String::new();
    if meter {
        err.push_str(METER_HEAD);
        err.push_str(&zero_line(0));
    }
    let fail = |t: &mut Transfer, err: &mut String, code: i32, msg: String| {
        t.code = code;
        if shows_errors {
            err.push_str(&format!("curl: ({code}) {msg}\n"));
        }
        t.errormsg = msg;
    };
    let mut current = raw.to_string();
    loop {
        let url = match parse_url(&current) {
            Ok(u) => u,
            Err((code, msg)) => {
                if meter {
                    // Nothing was tried: no meter.
                    err.clear();
                }
                fail(&mut t, &mut err, code, msg);
                break;
            }
        };
        let Some(ip) = super::net::resolve_libc(h, &url.host) else {
            if o.verbose {
                err.push_str(&format!("* Could not resolve host: {}\n* Closing connection 0\n", url.host));
            }
            fail(&mut t, &mut err, 6, format!("Could not resolve host: {}", url.host));
            break;
        };
        if o.verbose {
            err.push_str(&format!("*   Trying {ip}:{}...\n", url.port));
        }
        let host_header = if url.explicit_port { format!("{}:{}", url.host, url.port) } else { url.host.clone() };
        let mut headers = vec![
            ("Host".to_string(), host_header),
            ("User-Agent".to_string(), o.user_agent.clone().unwrap_or_else(|| format!("curl/{VERSION}"))),
            ("Accept".to_string(), "*/*".to_string()),
        ];
        for (k, v) in &o.headers {
            match headers.iter_mut().find(|(hk, _)| hk.eq_ignore_ascii_case(k)) {
                Some(slot) => slot.1 = v.clone(),
                None => headers.push((k.clone(), v.clone())),
            }
        }
        let reply: Result<HttpReply, NetError> = h.http_get(&ip, url.port, &url.target, &headers);
        let reply = match reply {
            Ok(r) => r,
            Err(NetError::TimedOut) => {
                let limit = [o.connect_timeout, o.max_time].into_iter().flatten().filter(|&l| l > 0).min();
                match limit {
                    Some(l) if l < SYN_GIVE_UP => {
                        t.waited = l;
                        if o.verbose {
                            err.push_str(&format!("* Connection timed out after {l} milliseconds\n* Closing connection 0\n"));
                        }
                        fail(&mut t, &mut err, 28, format!("Connection timed out after {l} milliseconds"));
                    }
                    _ => {
                        t.waited = SYN_GIVE_UP;
                        let msg =
                            format!("Failed to connect to {} port {} after {SYN_GIVE_UP} ms: Operation timed out", url.host, url.port);
                        if o.verbose {
                            err.push_str(&format!(
                                "* connect to {ip} port {} failed: Operation timed out\n* {msg}\n* Closing connection 0\n",
                                url.port
                            ));
                        }
                        fail(&mut t, &mut err, 28, msg);
                    }
                }
                break;
            }
            Err(e @ (NetError::Refused | NetError::Unreachable)) => {
                let why = if matches!(e, NetError::Refused) { "Connection refused" } else { "Network unreachable" };
                let msg = format!("Failed to connect to {} port {} after 0 ms: {why}", url.host, url.port);
                if o.verbose {
                    err.push_str(&format!("* connect to {ip} port {} failed: {why}\n* {msg}\n* Closing connection 0\n", url.port));
                }
                fail(&mut t, &mut err, 7, msg);
                break;
            }
            Err(NetError::Closed) => {
                t.remote = Some((ip.clone(), url.port));
                if o.verbose {
                    err.push_str(&connected(&url, &ip));
                    err.push_str(&request_text(&url, &headers));
                    err.push_str("* Empty reply from server\n* Closing connection 0\n");
                }
                fail(&mut t, &mut err, 52, "Empty reply from server".into());
                break;
            }
        };
        t.remote = Some((ip.clone(), url.port));
        if o.verbose {
            err.push_str(&connected(&url, &ip));
        }
        if url.https {
            // A plain-HTTP server answers the ClientHello with an HTTP error page.
            if o.verbose {
                err.push_str("* ALPN, offering h2\n* ALPN, offering http/1.1\n");
                err.push_str("* error:1408F10B:SSL routines:ssl3_get_record:wrong version number\n* Closing connection 0\n");
            }
            fail(&mut t, &mut err, 35, "error:1408F10B:SSL routines:ssl3_get_record:wrong version number".into());
            break;
        }
        t.http_code = reply.status;
        t.content_type = header(&reply, "Content-Type").unwrap_or_default();
        let mut head = format!("{}\r\n", reply.status_line);
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if o.verbose {
            err.push_str(&request_text(&url, &headers));
            err.push_str("* Mark bundle as not supporting multiuse\n");
            for l in head.split_inclusive("\r\n") {
                err.push_str("< ");
                err.push_str(l);
            }
        }
        let location = header(&reply, "Location");
        if o.location && (300..400).contains(&reply.status) {
            if let Some(loc) = location {
                if o.include {
                    t.out.extend(head.as_bytes());
                }
                if t.redirects == 50 {
                    fail(&mut t, &mut err, 47, "Maximum (50) redirects followed".into());
                    break;
                }
                t.redirects += 1;
                current = resolve_location(&url, &loc);
                t.url_effective = current.clone();
                if o.verbose {
                    err.push_str(&format!(
                        "* Connection #0 to host {} left intact\n* Issue another request to this URL: '{current}'\n",
                        url.host
                    ));
                }
                continue;
            }
        }
        if o.fail && reply.status >= 400 {
            if o.verbose {
                err.push_str("* Closing connection 0\n");
            }
            fail(&mut t, &mut err, 22, format!("The requested URL returned error: {}", reply.status));
            break;
        }
        let size = reply.body.len() as u64;
        t.size = size;
        if o.include {
            t.out.extend(head.as_bytes());
        }
        match o.output.as_deref() {
            None | Some("-") => t.out.extend(&reply.body),
            Some(f) => {
                let abs = normalize(c.cwd, f);
                let written = if abs == "/dev/null" { Ok(()) } else { h.view().write(&abs, &reply.body, false) };
                if let Err(e) = written {
                    if meter {
                        err.push('\n');
                    }
                    err.push_str(&format!("Warning: Failed to create the file {f}: {}\n", e.strerror()));
                    fail(&mut t, &mut err, 23, format!("Failed writing body (0 != {size})"));
                    break;
                }
            }
        }
        let known = header(&reply, "Content-Length").and_then(|v| v.parse::<u64>().ok());
        if meter {
            if o.verbose && size > 0 {
                err.push_str(&format!("\n{{ [{size} bytes data]\n"));
            }
            let speed = size * 1000 / TRANSFER_MS;
            err.push_str(&meter_line(known, size, speed, 0));
            err.push('\n');
        }
        if o.verbose {
            err.push_str(&format!("* Connection #0 to host {} left intact\n", url.host));
        }
        break;
    }
    t.err = err.into_bytes();
    t
}

fn header(r: &HttpReply, name: &str) -> Option<String> {
    r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
}

fn connected(url: &Url, ip: &str) -> String {
    format!("* Connected to {} ({ip}) port {} (#0)\n", url.host, url.port)
}

/// `-v`'s copy of the request it sends.
fn request_text(url: &Url, headers: &[(String, String)]) -> String {
    let mut s = format!("> GET {} HTTP/1.1\r\n", url.target);
    for (k, v) in headers {
        s.push_str(&format!("> {k}: {v}\r\n"));
    }
    s.push_str("> \r\n");
    s
}

/// A `Location` against the URL that answered it.
fn resolve_location(base: &Url, loc: &str) -> String {
    if loc.contains("://") {
        return loc.to_string();
    }
    let scheme = if base.https { "https" } else { "http" };
    let authority = if base.explicit_port { format!("{}:{}", base.host, base.port) } else { base.host.clone() };
    if let Some(rest) = loc.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    if loc.starts_with('/') {
        return format!("{scheme}://{authority}{loc}");
    }
    let path = base.target.split('?').next().unwrap_or("/");
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    format!("{scheme}://{authority}{dir}{loc}")
}

/// `-w`: the format with its `%{variable}`s and backslash escapes (`tool_writeout.c`); an
/// unknown variable is warned about and left out.
fn write_out(h: &mut dyn Host, c: &Ctx, format: &str, t: &Transfer) -> String {
    let mut s = String::new();
    let mut chars = format.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '%' if chars.peek() == Some(&'%') => {
                chars.next();
                s.push('%');
            }
            '%' if chars.peek() == Some(&'{') => {
                chars.next();
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let secs = if t.remote.is_some() { format!("0.{:06}", TRANSFER_MS * 1000) } else { "0.000000".into() };
                match name.as_str() {
                    "http_code" | "response_code" => s.push_str(&format!("{:03}", t.http_code)),
                    "size_download" => s.push_str(&t.size.to_string()),
                    "url_effective" => s.push_str(&t.url_effective),
                    "content_type" => s.push_str(&t.content_type),
                    "remote_ip" => s.push_str(t.remote.as_ref().map_or("", |r| r.0.as_str())),
                    "remote_port" => s.push_str(&t.remote.as_ref().map_or(String::new(), |r| r.1.to_string())),
                    "num_redirects" => s.push_str(&t.redirects.to_string()),
                    "exitcode" => s.push_str(&t.code.to_string()),
                    "errormsg" => s.push_str(&t.errormsg),
                    "time_total" => s.push_str(&secs),
                    _ => h.write(&c.fds.stderr, format!("curl: unknown --write-out variable: '{name}'\n").as_bytes()),
                }
            }
            '\\' => match chars.next() {
                Some('n') => s.push('\n'),
                Some('r') => s.push('\r'),
                Some('t') => s.push('\t'),
                Some(other) => {
                    s.push('\\');
                    s.push(other);
                }
                None => s.push('\\'),
            },
            _ => s.push(ch),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meter_lines_are_libcurls() {
        assert_eq!(zero_line(0), "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0");
        assert_eq!(
            meter_line(Some(612), 612, 612_000, 0),
            "\r100   612  100   612    0     0   597k      0 --:--:-- --:--:-- --:--:--  597k"
        );
        assert_eq!(zero_line(5), "\r  0     0    0     0    0     0      0      0 --:--:--  0:00:05 --:--:--     0");
        assert_eq!(max5(99_999), "99999");
        assert_eq!(max5(15 * 1024 * 1024 + 512 * 1024), "15.5M");
    }

    #[test]
    fn urls_split_as_curl_reads_them() {
        let u = parse_url("http://10.244.0.5:8080/echo?msg=poststart").ok().unwrap();
        assert_eq!((u.host.as_str(), u.port, u.target.as_str()), ("10.244.0.5", 8080, "/echo?msg=poststart"));
        let u = parse_url("svc").ok().unwrap();
        assert_eq!((u.host.as_str(), u.port, u.target.as_str(), u.explicit_port), ("svc", 80, "/", false));
        let u = parse_url("web:80?x=1#frag").ok().unwrap();
        assert_eq!(u.target, "/?x=1");
        assert_eq!(parse_url("http://h:99999/").err().unwrap().0, 3);
        assert_eq!(parse_url("gopher://h/").err().unwrap().0, 1);
    }

    #[test]
    fn options_cluster_and_take_values() {
        let argv: Vec<String> =
            ["curl", "-sSfo/dev/null", "-m", "2.5", "--connect-timeout", "1", "u"].iter().map(|s| s.to_string()).collect();
        let o = parse(&argv).ok().unwrap();
        assert!(o.silent && o.show_error && o.fail);
        assert_eq!(o.output.as_deref(), Some("/dev/null"));
        assert_eq!((o.max_time, o.connect_timeout), (Some(2500), Some(1000)));
        let bad: Vec<String> = ["curl", "-m", "x", "u"].iter().map(|s| s.to_string()).collect();
        assert!(matches!(parse(&bad), Err(Bad::Numeric(f)) if f == "-m"));
    }
}
