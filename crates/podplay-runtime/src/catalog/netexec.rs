//! agnhost `netexec` (`test/images/agnhost/netexec/netexec.go`): an HTTP server on
//! `--http-port` (8080) whose handlers (`addRoutes`) answer and log as the Go ones do, and the
//! UDP server's start line on `--udp-port` (8081; `-1`: none). `/dial` sends its requests from
//! the pod through `Behavior::dials` and reports them in netexec's JSON; `/shell` runs
//! `/bin/sh -c CMD` in the container through `Behavior::commands`.
//!
//! Not simulated: `/dial`'s `sctp`, answered with a podplay error rather than a guess. No
//! program of the simulation serves UDP, so `/dial?protocol=udp` fails as netexec's UDP dial
//! does against a pod with no UDP server (`net::udp_unanswered`), even when a netexec listens
//! there.

use super::go::{self, clean_keeping_slash, json_string, json_strings, query_value, raw_query};
use super::Launch;
use crate::applets::Applet;
use crate::clock;
use crate::io::Stream;
use crate::programs::{Action, Behavior, Dial, DialError, DialProtocol, Dialed, Serving, SigReaction, SignalDelivery};
use crate::servers::{go_response, url_path, Request, Response, ServerExit};
use crate::shell::host::{HttpReply, NetError};
use crate::types::Millis;

/// `createHTTPClient`'s `Timeout: 5 * time.Second`, and `dialUDP`'s read deadline.
const DIAL_TIMEOUT: Millis = 5_000;

/// `/dial`'s `tries`, at most: a bound on the simulation's work (`net::MAX_DIALS`); Kubernetes'
/// e2e tests ask for a few dozen at most.
const MAX_TRIES: i64 = 100;

/// Go's `http.Client` follows this many redirects (`defaultCheckRedirect`).
const MAX_REDIRECTS: usize = 10;

/// `netexec`'s `main`: the HTTP server's start line (`startServer`) and the UDP server's
/// (`startUDPServer`, bound to every address: `Started UDP server on port  8081`, two spaces).
pub(super) fn start(launch: &mut Launch) -> Applet {
    let http: u16 = launch.flag("--http-port").and_then(|p| p.parse().ok()).unwrap_or(8080);
    let udp: i32 = launch.flag("--udp-port").and_then(|p| p.parse().ok()).unwrap_or(8081);
    let stamp = launch.log_stamp();
    let mut lines = vec![format!("{stamp} Started HTTP server on port {http}")];
    if udp >= 0 {
        lines.push(format!("{stamp} Started UDP server on port  {udp}"));
    }
    let mut timeline = launch.logs(Stream::Stderr, lines);
    timeline.push((launch.now, Action::Listen(http)));
    let header_endpoint = agnhost_minor(&launch.w.containers[launch.cid].image.tag).is_none_or(|minor| minor >= 40);
    launch.program(Netexec { udp_server: udp >= 0, header_endpoint }, timeline)
}

/// The `2.N` of an agnhost tag (`None`: `latest`).
fn agnhost_minor(tag: &str) -> Option<u32> {
    tag.strip_prefix("2.")?.split('.').next()?.parse().ok()
}

struct Netexec {
    /// Whether its UDP server runs: `/healthz`'s `serverReady`.
    udp_server: bool,
    /// Whether it has `/header` (kubernetes/kubernetes#107796, of 2022: agnhost 2.40 has it;
    /// older tags are taken not to, their `/` pattern answering it).
    header_endpoint: bool,
}

impl Behavior for Netexec {
    fn on_signal(&mut self, signal: &SignalDelivery) -> SigReaction {
        go::on_signal(signal)
    }

    /// `/dial`'s requests: its tries one after another, each following redirects.
    fn dials(&self, req: &Request, answered: &[Dialed]) -> Vec<Dial> {
        if url_path(req.path) != "/dial" {
            return Vec::new();
        }
        match DialPlan::parse(raw_query(req.path)) {
            Ok(plan) => plan.walk(answered).next.into_iter().collect(),
            Err(_) => Vec::new(),
        }
    }

    /// `shellHandler`'s `exec.Command(shellPath, "-c", cmd)`.
    fn commands(&self, req: &Request) -> Vec<Vec<String>> {
        if url_path(req.path) != "/shell" {
            return Vec::new();
        }
        vec![vec![SHELL_PATH.into(), "-c".into(), shell_command(raw_query(req.path))]]
    }

    /// `addRoutes`' handlers; the `/` pattern of Go's `ServeMux` takes every path no other
    /// pattern names, and the mux redirects a path that is not clean to its clean form.
    fn serve_http(&mut self, req: &Request, at: &Serving) -> Response {
        let path = url_path(req.path);
        let clean = clean_keeping_slash(path);
        let (mut answer, lines) = if clean != path {
            let query = raw_query(req.path);
            let target = if query.is_empty() { clean } else { format!("{clean}?{query}") };
            (go::http_redirect(req, &target, 301, at.wall), Vec::new())
        } else {
            self.route(path, req, at)
        };
        let stamp = clock::slash_stamp(at.wall);
        let logged = lines.into_iter().map(|l| (Stream::Stderr, format!("{stamp} {}", l.strip_suffix('\n').unwrap_or(&l))));
        answer.logs.splice(0..0, logged);
        answer
    }
}

impl Netexec {
    /// The handler of `path` and the lines it logs (`log.Printf`, without their stamp).
    fn route(&self, path: &str, req: &Request, at: &Serving) -> (Response, Vec<String>) {
        let query = raw_query(req.path);
        let form = |k: &str| query_value(query, k).unwrap_or_default();
        match path {
            "/clientip" => (go_write(200, format!("{}:{}", req.client_ip, req.client_port), at), vec!["GET /clientip".into()]),
            "/dial" => dial_handler(query, at),
            "/echo" => echo_handler(&form("msg"), &form("code"), at),
            "/exit" | "/shutdown" => exit_handler(path, &form("code"), &form("timeout"), &form("wait"), at),
            "/header" if self.header_endpoint => header_handler(req, &form("key"), at),
            "/healthz" => (go_write(if self.udp_server { 200 } else { 412 }, "", at), vec!["GET /healthz".into()]),
            "/hostname" | "/hostName" => (go_write(200, at.hostname, at), vec![format!("GET {path}")]),
            "/redirect" => redirect_handler(req, &form("location"), &form("code"), at),
            "/shell" => shell_handler(&shell_command(query), at),
            "/upload" => upload_handler(req, at),
            _ => (go_write(200, format!("NOW: {}", now_text(at)), at), vec!["GET /".into()]),
        }
    }
}

/// A handler's plain answer: Go sniffs a body's type (`text/plain; charset=utf-8` for these)
/// and sends none for an empty body.
fn go_write(status: u16, body: impl Into<Vec<u8>>, at: &Serving) -> Response {
    let mut answer = go_response(status, body.into(), at.wall);
    if answer.body.is_empty() {
        answer.headers.retain(|(k, _)| k != "Content-Type");
    }
    answer
}

/// Go's `http.Error`: the text and a line end, `nosniff`.
fn go_error(status: u16, text: &str, at: &Serving) -> Response {
    let mut answer = go_response(status, format!("{text}\n").into_bytes(), at.wall);
    if !answer.headers.iter().any(|(k, _)| k == "X-Content-Type-Options") {
        answer.headers.push(("X-Content-Type-Options".into(), "nosniff".into()));
    }
    answer
}

/// `rootHandler`'s `time.Now()`, with its monotonic reading (the time since start).
fn now_text(at: &Serving) -> String {
    let c = clock::civil(at.wall);
    let (secs, millis) = (at.elapsed / 1000, at.elapsed % 1000);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}.000000000 +0000 UTC m=+{secs}.{millis:03}000000",
        c.year, c.month, c.day, c.hour, c.min, c.sec
    )
}

/// `headerHandler`: the value of header `key` (`Header.Get`: its canonical form, the first
/// value), or with no key every header as `json.Marshal(r.Header)` writes it (canonical names
/// sorted, each a list of values; `Host` is not among them: Go's server moves it to `r.Host`).
fn header_handler(req: &Request, key: &str, at: &Serving) -> (Response, Vec<String>) {
    // Each name's values in the order they came.
    let mut headers: std::collections::BTreeMap<String, Vec<Vec<u8>>> = Default::default();
    for (name, value) in req.headers {
        headers.entry(canonical_header_key(name)).or_default().push(value.as_bytes().to_vec());
    }
    headers.remove("Host");
    if !key.is_empty() {
        let value = headers.get(&canonical_header_key(key)).and_then(|values| values.first()).cloned().unwrap_or_default();
        return (go_write(200, value, at), vec![format!("GET /header?key={key}")]);
    }
    let fields: Vec<String> =
        headers.iter().map(|(name, values)| format!("{}:{}", json_string(name.as_bytes()), json_strings(values))).collect();
    (go_write(200, format!("{{{}}}", fields.join(",")), at), vec!["GET /header".into()])
}

/// Go's `textproto.CanonicalMIMEHeaderKey`: the first letter and each after a `-` upper case,
/// the others lower case; a name with a byte no header token has is left as it is.
fn canonical_header_key(name: &str) -> String {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if !name.bytes().all(token) {
        return name.to_string();
    }
    let mut upper = true;
    name.chars()
        .map(|c| {
            let out = if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
            upper = c == '-';
            out
        })
        .collect()
}

/// netexec.go's `shellPath`.
const SHELL_PATH: &str = "/bin/sh";

/// `/shell`'s command: `shellCommand`, else `cmd`.
fn shell_command(query: &str) -> String {
    query_value(query, "shellCommand").filter(|c| !c.is_empty()).or_else(|| query_value(query, "cmd")).unwrap_or_default()
}

/// `shellHandler`: `{"error":…,"output":…}` of the command's run (`output` when it wrote
/// anything, `error` when it failed: `exit status N`), logged as Go's `%s` prints the map;
/// 200 whatever it came to, once the command has ended.
fn shell_handler(cmd: &str, at: &Serving) -> (Response, Vec<String>) {
    let Some(run) = at.ran.first() else {
        return (go_error(500, "podplay: /shell's command did not run", at), vec![format!("GET /shell?cmd={cmd}")]);
    };
    let error = match &run.status {
        Ok(Some(0)) | Ok(None) => None,
        Ok(Some(code)) => Some(format!("exit status {code}")),
        Err(why) => Some(why.clone()),
    };
    let output = (!run.output.is_empty()).then(|| run.output.clone());
    let mut json = Vec::new();
    let mut printed = Vec::new();
    if let Some(e) = &error {
        json.push(format!("\"error\":{}", json_string(e.as_bytes())));
        printed.push(format!("error:{e}"));
    }
    if let Some(o) = &output {
        json.push(format!("\"output\":{}", json_string(o)));
        printed.push(format!("output:{}", String::from_utf8_lossy(o)));
    }
    let lines = vec![format!("GET /shell?cmd={cmd}"), format!("Output: map[{}]", printed.join(" "))];
    let answer = go_write(200, format!("{{{}}}", json.join(",")), at);
    (Response { delay_ms: run.took, ..answer }, lines)
}

/// `echoHandler`: `msg` with status `code` (if given).
fn echo_handler(msg: &str, code: &str, at: &Serving) -> (Response, Vec<String>) {
    let line = format!("GET /echo?msg={msg}&code={code}");
    match status_param(code, 200) {
        Ok(status) => (go_write(status, msg, at), vec![line]),
        Err((status, text)) => (go_write(status, text, at), vec![line]),
    }
}

/// The `code` of `/echo` and `/redirect` (`strconv.Atoi`), `default` when empty; else the
/// status and text of the answer instead: the handler's to a non-integer, a podplay error for
/// a number Go's `WriteHeader` panics on (outside 100–999: the server logs the panic's stack
/// and drops the connection, which is not simulated).
fn status_param(code: &str, default: u16) -> Result<u16, (u16, String)> {
    if code.is_empty() {
        return Ok(default);
    }
    let Ok(number) = go_atoi(code) else {
        return Err((200, format!("argument 'code' must be an integer or empty, got {}\n", go::quote(code))));
    };
    match u16::try_from(number) {
        Ok(status) if (100..=999).contains(&status) => Ok(status),
        _ => Err((501, format!("podplay: netexec's WriteHeader({number}) panics in Go, which is not simulated\n"))),
    }
}

/// `exitHandler` and `shutdownHandler`: with no `timeout` (and for `/shutdown`) the handler calls
/// `os.Exit` before it writes anything, so the client reads the connection closing; with one,
/// the server answers and shuts down gracefully, then exits. The `wait` before either is not
/// waited: the server exits with the request.
fn exit_handler(path: &str, code: &str, timeout: &str, wait: &str, at: &Serving) -> (Response, Vec<String>) {
    let exit = |code: i32, unanswered: bool| Some(ServerExit { code, unanswered });
    if path == "/shutdown" {
        return (Response { exit: exit(0, true), ..go_write(200, "", at) }, vec!["GET /shutdown".into()]);
    }
    let mut lines = vec![format!("GET /exit?code={code}&timeout={timeout}&wait={wait}")];
    let mut refuse = |text: String| (go_write(200, text, at), std::mem::take(&mut lines));
    let duration = |d: &str| if d.is_empty() { Ok(0) } else { go::parse_duration(d) };
    let Ok(timeout_ns) = duration(timeout) else {
        return refuse(format!("argument 'timeout' must be a valid golang duration or empty, got {}\n", go::quote(timeout)));
    };
    let Ok(wait_ns) = duration(wait) else {
        return refuse(format!("argument 'wait' must be a valid golang duration or empty, got {}\n", go::quote(wait)));
    };
    let Ok(status) = (if code.is_empty() { Ok(0) } else { code.parse::<i32>() }) else {
        return refuse(format!("argument 'code' must be an integer [0-127] or empty, got {}\n", go::quote(code)));
    };
    let (wait_text, timeout_text) = (go::format_duration(wait_ns), go::format_duration(timeout_ns));
    lines.push(format!(
        "Will begin shutdown in {wait_text}, allowing {timeout_text} for connections to close, then will exit with {status}"
    ));
    if timeout_ns == 0 {
        return (Response { exit: exit(status, true), ..go_write(200, "", at) }, lines);
    }
    lines.push("Graceful shutdown completed with: <nil>".into());
    (Response { exit: exit(status, false), ..go_write(200, "", at) }, lines)
}

/// `redirectHandler`: `http.Redirect` to `location` with `code` (302 by default).
fn redirect_handler(req: &Request, location: &str, code: &str, at: &Serving) -> (Response, Vec<String>) {
    let line = format!("{} /redirect?msg={location}&code={code}", req.method);
    match status_param(code, 302) {
        Ok(status) => (go::http_redirect(req, location, status, at.wall), vec![line]),
        Err((status, text)) => (go_write(status, text, at), vec![line]),
    }
}

/// `uploadHandler`: `r.FormFile("file")` needs a multipart body, which no client of the
/// simulation sends (its requests are GETs with no body): `Unable to upload file.`.
fn upload_handler(req: &Request, at: &Serving) -> (Response, Vec<String>) {
    let content_type = req.header("Content-Type").unwrap_or("");
    let why = if !content_type.starts_with("multipart/form-data") {
        "request Content-Type isn't multipart/form-data"
    } else if !content_type.contains("boundary=") {
        "no multipart boundary param in Content-Type"
    } else {
        "multipart: NextPart: EOF"
    };
    let body = format!("{{\"error\":{}}}", json_string(b"Unable to upload file."));
    (go_write(200, body, at), vec!["GET /upload".into(), format!("Unable to upload file: {why}")])
}

/// `/dial`'s parameters, read and checked as `dialHandler` does before it sends anything.
struct DialPlan {
    protocol: DialProtocol,
    host: String,
    port: u16,
    request: String,
    tries: usize,
}

/// Where one of `/dial`'s tries is in its chain of redirects.
#[derive(Clone)]
struct Hop {
    host: String,
    port: u16,
    /// The request's target (`/` and the `request` parameter at first).
    target: String,
}

/// Each try's outcome so far (its body, or why it failed) and the request to send next.
struct Walk {
    outcomes: Vec<Result<Vec<u8>, TryFailure>>,
    next: Option<Dial>,
    /// Tries that waited out `DIAL_TIMEOUT`.
    timeouts: u64,
}

impl DialPlan {
    /// `dialHandler`'s checks in its order: `tries`, `request`, `protocol`, the port (Go's
    /// `ResolveTCPAddr` reads it before it looks the host up); the 400's text if one fails.
    fn parse(query: &str) -> Result<DialPlan, DialRefusal> {
        let form = |k: &str| query_value(query, k).unwrap_or_default();
        let (host, port, request, protocol, tries) = (form("host"), form("port"), form("request"), form("protocol"), form("tries"));
        let tries =
            if tries.is_empty() { 1 } else { go_atoi(&tries).map_err(|e| DialRefusal::Bad(format!("tries parameter is invalid. {e}")))? };
        if request.is_empty() {
            return Err(DialRefusal::Bad("request parameter not specified. <nil>".into()));
        }
        let protocol = match protocol.to_lowercase().as_str() {
            "" | "http" => DialProtocol::Http,
            "udp" => DialProtocol::Udp,
            "sctp" => return Err(DialRefusal::Unsimulated("podplay: agnhost netexec's /dial over sctp is not simulated".into())),
            _ => return Err(DialRefusal::Bad(format!("unsupported protocol. {protocol}"))),
        };
        let network = if protocol == DialProtocol::Udp { "udp" } else { "tcp" };
        let port = go_port(network, &port).map_err(|e| DialRefusal::Bad(format!("host and/or port param are invalid. {e}")))?;
        Ok(DialPlan { protocol, host, port, request, tries: tries.clamp(0, MAX_TRIES) as usize })
    }

    fn first_hop(&self) -> Hop {
        Hop { host: self.host.clone(), port: self.port, target: format!("/{}", self.request) }
    }

    fn dial(&self, hop: &Hop) -> Dial {
        // An empty host is the local system to a Go dialer.
        let host = if hop.host.is_empty() && self.protocol == DialProtocol::Udp { "127.0.0.1".into() } else { hop.host.clone() };
        let request = if self.protocol == DialProtocol::Udp { self.request.clone() } else { hop.target.clone() };
        let headers = vec![("User-Agent".into(), "Go-http-client/1.1".into()), ("Accept-Encoding".into(), "gzip".into())];
        Dial { protocol: self.protocol, host, port: hop.port, request, headers }
    }

    /// Replays the answers so far through the tries (`dialHTTP`/`dialUDP` in turn, the HTTP
    /// client following redirects): their outcomes and the request that comes next.
    fn walk(&self, answered: &[Dialed]) -> Walk {
        let mut walk = Walk { outcomes: Vec::new(), next: None, timeouts: 0 };
        let mut answers = answered.iter();
        while walk.outcomes.len() < self.tries {
            let mut hop = self.first_hop();
            let mut redirects = 0;
            let outcome = loop {
                if self.protocol == DialProtocol::Http && hop.host.is_empty() {
                    break Err(TryFailure::NoHostInUrl(hop));
                }
                let Some(answer) = answers.next() else {
                    walk.next = Some(self.dial(&hop));
                    return walk;
                };
                match (answer, redirect_location(answer)) {
                    (Ok(_), Some(location)) if self.protocol == DialProtocol::Http => {
                        hop = follow(&hop, &location);
                        redirects += 1;
                        if redirects > MAX_REDIRECTS {
                            break Err(TryFailure::TooManyRedirects(hop));
                        }
                    }
                    (Ok(reply), _) => break Ok(reply.body.clone()),
                    (Err(e), _) => {
                        walk.timeouts += u64::from(matches!(e, DialError::Net { error: NetError::TimedOut, .. }));
                        break Err(TryFailure::Dial { hop, error: e.clone(), first: redirects == 0 });
                    }
                }
            };
            walk.outcomes.push(outcome);
        }
        walk
    }
}

/// Why one of `/dial`'s tries failed.
enum TryFailure {
    /// Go's client refuses a URL with no host (an empty `host`).
    NoHostInUrl(Hop),
    /// The redirect past `MAX_REDIRECTS`, to this hop.
    TooManyRedirects(Hop),
    /// The request to `hop` (`first`: the try's first, whose URL names the resolved address).
    Dial { hop: Hop, error: DialError, first: bool },
}

impl TryFailure {
    /// The error as `dialHTTP` (Go's `*url.Error`: `Get "URL": …`) or `dialUDP` formats it;
    /// `nameserver` is the pod's, which Go's resolver names.
    fn text(&self, nameserver: &str) -> String {
        let (hop, error, first) = match self {
            TryFailure::NoHostInUrl(hop) => return format!("Get {}: http: no Host in request URL", go::quote(&hop_url(hop, None))),
            TryFailure::TooManyRedirects(hop) => return format!("Get {}: stopped after 10 redirects", go::quote(&hop_url(hop, None))),
            TryFailure::Dial { hop, error, first } => (hop, error, *first),
        };
        let (ip, error, udp_local) = match error {
            DialError::NoSuchHost => {
                let url = go::quote(&hop_url(hop, None));
                return format!("Get {url}: dial tcp: lookup {} on {nameserver}:53: no such host", hop.host);
            }
            DialError::Net { ip, error, udp_local } => (ip, error, udp_local),
        };
        if let Some(local) = udp_local {
            let read = match error {
                NetError::TimedOut => "i/o timeout".to_string(),
                e => format!("read: {}", connect_error(e)),
            };
            return format!("reading from udp connection failed. err:'read udp {local}->{}:{}: {read}'", hop_ip(&hop.host, ip), hop.port);
        }
        let url = go::quote(&hop_url(hop, first.then_some(ip.as_str())));
        match error {
            NetError::TimedOut => format!("Get {url}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)"),
            NetError::Closed => format!("Get {url}: EOF"),
            e => format!("Get {url}: dial tcp {ip}:{}: connect: {}", hop.port, connect_error(e)),
        }
    }
}

/// Why `/dial` sends nothing: a 400 with netexec's text, or a podplay error.
enum DialRefusal {
    Bad(String),
    Unsimulated(String),
}

/// The remote address Go prints for a UDP socket (an empty host: `:port`).
fn hop_ip<'a>(host: &str, ip: &'a str) -> &'a str {
    if host.is_empty() {
        ""
    } else {
        ip
    }
}

/// The kernel's text for a failed connect.
fn connect_error(e: &NetError) -> &'static str {
    match e {
        NetError::Unreachable => "no route to host",
        _ => "connection refused",
    }
}

/// The URL a hop's GET asks for; the first names the address its host resolved to
/// (`fmt.Sprintf("http://%s/%s", addr.String(), request)`).
fn hop_url(hop: &Hop, resolved: Option<&str>) -> String {
    format!("http://{}:{}{}", resolved.unwrap_or(&hop.host), hop.port, hop.target)
}

/// The `Location` of an answer Go's client follows (301, 302, 303, 307, 308 with one).
fn redirect_location(answer: &Dialed) -> Option<String> {
    let reply: &HttpReply = answer.as_ref().ok()?;
    if ![301, 302, 303, 307, 308].contains(&reply.status) {
        return None;
    }
    reply.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("Location")).map(|(_, v)| v.clone())
}

/// The hop a `Location` leads to: an `http://host[:port]/…` URL, or a path resolved against
/// the current one.
fn follow(hop: &Hop, location: &str) -> Hop {
    if let Some(rest) = location.strip_prefix("http://") {
        let (authority, target) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().unwrap_or(80)),
            None => (authority, 80),
        };
        return Hop { host: host.into(), port, target: target.into() };
    }
    let target = if location.starts_with('/') {
        location.to_string()
    } else {
        let path = url_path(&hop.target);
        format!("{}{location}", &path[..path.rfind('/').map_or(0, |i| i + 1)])
    };
    Hop { target, ..hop.clone() }
}

/// `strconv.Atoi`, its error's text.
fn go_atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {}: invalid syntax", go::quote(s)));
    }
    s.parse().map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", go::quote(s)))
}

/// The port as Go's resolver reads it (`LookupPort`): a number in 0–65535 (empty: 0); a
/// service name would be looked up in `/etc/services`, none of which netexec's callers use.
fn go_port(network: &str, port: &str) -> Result<u16, String> {
    if port.is_empty() {
        return Ok(0);
    }
    if port.strip_prefix('-').unwrap_or(port).bytes().all(|b| b.is_ascii_digit()) {
        return port.parse::<u16>().map_err(|_| format!("address {port}: invalid port"));
    }
    Err(format!("lookup {network}/{port}: unknown port"))
}

/// `dialHandler`: the tries' answers as JSON (`{"errors":[…],"responses":[…]}`, Go's sorted
/// keys): `responses` only when the last try brought a non-empty body (the handler tests the
/// last `response`), `errors` when any failed; 200 whatever they were.
fn dial_handler(query: &str, at: &Serving) -> (Response, Vec<String>) {
    let form = |k: &str| query_value(query, k).unwrap_or_default();
    let line = format!(
        "GET /dial?host={}&protocol={}&port={}&request={}&tries={}",
        form("host"),
        form("protocol"),
        form("port"),
        form("request"),
        form("tries")
    );
    let plan = match DialPlan::parse(query) {
        Ok(plan) => plan,
        Err(DialRefusal::Bad(text)) => return (go_error(400, &text, at), vec![line]),
        Err(DialRefusal::Unsimulated(text)) => return (go_error(501, &text, at), vec![line]),
    };
    let walk = plan.walk(at.dialed);
    if let Some(Err(DialError::NoSuchHost)) = at.dialed.first() {
        let text = format!("host and/or port param are invalid. lookup {} on {}:53: no such host", plan.host, nameserver(at));
        return (go_error(400, &text, at), vec![line]);
    }
    let nameserver = nameserver(at);
    let mut errors = Vec::new();
    let mut responses = Vec::new();
    for outcome in &walk.outcomes {
        match outcome {
            Ok(body) => responses.push(body.clone()),
            Err(failure) => errors.push(failure.text(&nameserver).into_bytes()),
        }
    }
    let mut fields = Vec::new();
    if !errors.is_empty() {
        fields.push(format!("\"errors\":{}", json_strings(&errors)));
    }
    if matches!(walk.outcomes.last(), Some(Ok(body)) if !body.is_empty()) {
        fields.push(format!("\"responses\":{}", json_strings(&responses)));
    }
    let answer = go_write(200, format!("{{{}}}", fields.join(",")), at);
    (Response { delay_ms: walk.timeouts * DIAL_TIMEOUT, ..answer }, vec![line])
}

/// The pod's name server (its `/etc/resolv.conf`), which Go's resolver names in its errors.
fn nameserver(at: &Serving) -> String {
    let conf = at.view.read("/etc/resolv.conf").unwrap_or_default();
    let text = String::from_utf8_lossy(&conf);
    text.lines().find_map(|l| l.strip_prefix("nameserver ")).map_or_else(|| "127.0.0.1".into(), |ns| ns.trim().to_string())
}
