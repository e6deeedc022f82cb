//! A fault-injecting HTTP proxy on 127.0.0.1 for the collection tests: it sits between
//! `vpcreach collect --endpoint-url` and moto, recognises each AWS call by its `Action` (query
//! protocol: EC2, ElastiCache, STS), its `X-Amz-Target`, or (REST-JSON: VPC Lattice) its method
//! and path, and, following a list of rules, answers some attempts with a fault instead of
//! forwarding them: throttling errors in the service's own XML or JSON shape, HTTP 503, a dropped
//! connection, a truncated body, an answer slower than the client's timeout, or a page whose
//! continuation token repeats. Every request and the fault it got are logged, so a test can prove
//! its faults were served.
//!
//! Moto 5.2 has no VPC Lattice resource gateways or resource configurations (its `vpclattice`
//! URLs have no `/resourcegateways` or `/resourceconfigurations`: HTTP 404). The proxy can answer
//! those REST paths itself with [`Canned`] JSON in the API's own response shapes (a listing page
//! per `nextToken`); every other request goes to moto.
//!
//! One request per connection (`Connection: close` both ways); enough for the SDK's client,
//! which opens a new connection when one is closed.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the proxy does instead of (or to) the real answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 400 `RequestLimitExceeded` (EC2) / `Throttling` (others).
    Throttle,
    /// HTTP 503 with an empty body.
    Unavailable,
    /// Close the connection without answering.
    Drop,
    /// Forward, then send the headers and half the body, and close.
    Truncate,
    /// Wait this long, then forward.
    Slow(Duration),
    /// Forward, and add a `<nextToken>` that never changes (a pagination loop).
    RepeatToken,
    /// HTTP 403 `AccessDenied` in the STS XML shape (what STS answers an `AssumeRole` on a role
    /// that does not exist or does not trust the caller).
    AccessDenied,
}

/// Apply `fault` to the first `times` attempts of `action` (every attempt when `None`).
#[derive(Clone, Debug)]
pub struct Rule {
    pub action: &'static str,
    pub fault: Fault,
    pub times: Option<usize>,
}

/// (action, fault served, request body) per request, in arrival order.
type Log = Arc<Mutex<Vec<(String, Option<Fault>, String)>>>;

/// Rules that apply only to requests whose body contains a text: (action, text).
type Filters = Arc<Vec<(String, String)>>;

/// A canned answer to a REST-JSON `GET` (VPC Lattice): the request path (without the query)
/// and, for a listing page, the `nextToken` it asks with.
#[derive(Clone, Debug)]
pub struct Canned {
    pub path: String,
    pub next_token: Option<String>,
    pub status: u16,
    pub body: String,
}

impl Canned {
    /// HTTP 200 with `body` as JSON.
    pub fn ok(path: &str, next_token: Option<&str>, body: &serde_json::Value) -> Canned {
        Canned {
            path: path.to_string(),
            next_token: next_token.map(str::to_string),
            status: 200,
            body: body.to_string(),
        }
    }

    /// The VPC Lattice listings of an account without resource gateways or resource
    /// configurations: one empty page each (`{"items": []}`, no `nextToken`), what the API
    /// answers there.
    pub fn lattice_empty() -> Vec<Canned> {
        let empty = serde_json::json!({"items": []});
        vec![
            Canned::ok("/resourcegateways", None, &empty),
            Canned::ok("/resourceconfigurations", None, &empty),
        ]
    }
}

/// A running proxy.
pub struct FaultProxy {
    pub url: String,
    log: Log,
}

impl FaultProxy {
    /// Start a proxy in front of `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str, rules: Vec<Rule>) -> FaultProxy {
        FaultProxy::start_with(upstream, rules, Vec::new(), Vec::new())
    }

    /// Like [`FaultProxy::start`], but the rules of an action listed in `filters` (action,
    /// text) apply only to requests whose (URL-decoded) body contains the text.
    pub fn start_filtered(
        upstream: &str,
        rules: Vec<Rule>,
        filters: Vec<(String, String)>,
    ) -> FaultProxy {
        FaultProxy::start_with(upstream, rules, filters, Vec::new())
    }

    /// The general form: `rules` (with `filters`), and `canned` answers to REST-JSON requests
    /// (a rule's fault wins over a canned answer). For a request without a body the text a
    /// filter looks in is the request target (path and query).
    pub fn start_with(
        upstream: &str,
        rules: Vec<Rule>,
        filters: Vec<(String, String)>,
        canned: Vec<Canned>,
    ) -> FaultProxy {
        let filters: Filters = Arc::new(filters);
        let canned = Arc::new(canned);
        let up = upstream
            .strip_prefix("http://")
            .expect("an http:// upstream")
            .trim_end_matches('/')
            .to_string();
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let log: Log = Arc::default();
        let seen: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let (log2, rules) = (log.clone(), Arc::new(rules));
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (log, seen, rules, up, filters, canned) = (
                    log2.clone(),
                    seen.clone(),
                    rules.clone(),
                    up.clone(),
                    filters.clone(),
                    canned.clone(),
                );
                std::thread::spawn(move || {
                    let policy = Policy {
                        rules: &rules,
                        filters: &filters,
                        canned: &canned,
                    };
                    serve(conn, &up, &policy, &seen, &log)
                });
            }
        });
        FaultProxy { url, log }
    }

    /// How many requests for `action` got `fault`.
    pub fn served(&self, action: &str, fault: Fault) -> usize {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|(a, f, _)| a == action && *f == Some(fault))
            .count()
    }

    /// The (URL-decoded) bodies of the requests for `action`, in arrival order.
    pub fn bodies(&self, action: &str) -> Vec<String> {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|(a, _, _)| a == action)
            .map(|(_, _, b)| b.clone())
            .collect()
    }

    /// How many requests for `action` arrived.
    pub fn requests(&self, action: &str) -> usize {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|(a, _, _)| a == action)
            .count()
    }
}

/// A parsed request: head (request line + headers, without `Connection`) and body.
struct Request {
    head: Vec<String>,
    body: Vec<u8>,
}

fn read_request(s: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&buf).to_string();
    let head: Vec<String> = text
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .map(str::to_string)
        .collect();
    let len = head
        .iter()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some(Request { head, body })
}

/// Method and request target (`GET`, `/resourcegateways?nextToken=x`) of the request line.
fn request_line(r: &Request) -> (String, String) {
    let mut parts = r.head.first().map(|l| l.split(' ')).into_iter().flatten();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    (method, target)
}

/// The path and the (decoded) `nextToken` query parameter of a request target.
fn path_and_token(target: &str) -> (String, Option<String>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let token = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("nextToken="))
        .map(|t| decode(t.as_bytes()));
    (path.to_string(), token)
}

/// The VPC Lattice operation of a REST-JSON `GET` (the ones `collect` sends).
fn rest_action(method: &str, path: &str) -> Option<&'static str> {
    if method != "GET" {
        return None;
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["resourcegateways"] => Some("ListResourceGateways"),
        ["resourcegateways", _] => Some("GetResourceGateway"),
        ["resourceconfigurations"] => Some("ListResourceConfigurations"),
        ["resourceconfigurations", _] => Some("GetResourceConfiguration"),
        _ => None,
    }
}

/// The `Action` of a query-protocol body, else the `X-Amz-Target` operation, else the REST
/// operation of the method and path.
fn action(r: &Request) -> String {
    let body = String::from_utf8_lossy(&r.body);
    body.split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .map(str::to_string)
        .or_else(|| {
            r.head.iter().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("x-amz-target")
                    .then(|| v.rsplit('.').next().unwrap_or("").trim().to_string())
            })
        })
        .or_else(|| {
            let (method, target) = request_line(r);
            let (path, _) = path_and_token(&target);
            rest_action(&method, &path).map(str::to_string)
        })
        .unwrap_or_default()
}

/// Whether a request is REST-JSON (a Lattice `GET`): its errors are JSON, not XML.
fn is_rest(r: &Request) -> bool {
    let (method, target) = request_line(r);
    rest_action(&method, &path_and_token(&target).0).is_some()
}

/// A REST-JSON error as VPC Lattice sends it: the code in `x-amzn-ErrorType`, `{"message"}`.
fn rest_error(status: &str, code: &str, message: &str) -> Vec<u8> {
    let body = serde_json::json!({ "message": message }).to_string();
    rebuild(
        &format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nx-amzn-ErrorType: {code}"),
        body.as_bytes(),
    )
}

/// The canned answer for a REST request, if one matches its path and `nextToken`.
fn canned_answer(r: &Request, canned: &[Canned]) -> Option<Vec<u8>> {
    let (method, target) = request_line(r);
    if method != "GET" {
        return None;
    }
    let (path, token) = path_and_token(&target);
    let c = canned
        .iter()
        .find(|c| c.path == path && c.next_token == token)?;
    let reason = if c.status == 200 { "OK" } else { "Error" };
    Some(rebuild(
        &format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: application/json",
            c.status
        ),
        c.body.as_bytes(),
    ))
}

fn forward(up: &str, r: &Request) -> Option<Vec<u8>> {
    let mut s = TcpStream::connect(up).ok()?;
    let mut head = r.head.join("\r\n");
    head.push_str("\r\nConnection: close\r\n\r\n");
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(&r.body).ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    Some(out)
}

/// Split a response into head and body, and rebuild it with a new body (Content-Length fixed,
/// `Connection: close`).
fn split(resp: &[u8]) -> (String, Vec<u8>) {
    let at = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(resp.len());
    let head = String::from_utf8_lossy(&resp[..at]).to_string();
    let body = resp.get(at + 4..).unwrap_or_default().to_vec();
    (head, body)
}

fn rebuild(head: &str, body: &[u8]) -> Vec<u8> {
    let mut lines: Vec<String> = head
        .split("\r\n")
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            !l.starts_with("content-length:")
                && !l.starts_with("connection:")
                && !l.starts_with("transfer-encoding:")
        })
        .map(str::to_string)
        .collect();
    lines.push(format!("Content-Length: {}", body.len()));
    lines.push("Connection: close".into());
    let mut out = (lines.join("\r\n") + "\r\n\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

fn throttle(r: &Request, action: &str) -> Vec<u8> {
    if is_rest(r) {
        return rest_error(
            "429 Too Many Requests",
            "ThrottlingException",
            &format!("Rate exceeded ({action})"),
        );
    }
    let ec2 = String::from_utf8_lossy(&r.body).contains("Version=2016-11-15");
    let body = if ec2 {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>".to_string()
    } else {
        format!("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded ({action})</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>")
    };
    rebuild(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml",
        body.as_bytes(),
    )
}

/// Percent-decoding of a form body (`+` is a space), enough to match ARNs and ids in it.
fn decode(body: &[u8]) -> String {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'%' if i + 2 < body.len() => {
                let hex = std::str::from_utf8(&body[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn access_denied(r: &Request, action: &str) -> Vec<u8> {
    if is_rest(r) {
        return rest_error(
            "403 Forbidden",
            "AccessDeniedException",
            &format!("User is not authorized to perform: vpc-lattice:{action} (fault proxy)"),
        );
    }
    let body = format!("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:{action} (fault proxy)</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>");
    rebuild(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml",
        body.as_bytes(),
    )
}

/// What a proxy does with requests: fault rules, their filters, canned REST answers.
struct Policy<'a> {
    rules: &'a [Rule],
    filters: &'a [(String, String)],
    canned: &'a [Canned],
}

fn serve(
    mut conn: TcpStream,
    up: &str,
    policy: &Policy,
    seen: &Mutex<HashMap<String, usize>>,
    log: &Mutex<Vec<(String, Option<Fault>, String)>>,
) {
    let Some(req) = read_request(&mut conn) else {
        return;
    };
    let (rules, filters) = (policy.rules, policy.filters);
    let act = action(&req);
    let text = if req.body.is_empty() {
        decode(request_line(&req).1.as_bytes())
    } else {
        decode(&req.body)
    };
    let filtered_out = filters
        .iter()
        .any(|(a, needle)| *a == act && !text.contains(needle.as_str()));
    let attempt = {
        let mut seen = seen.lock().expect("seen");
        let n = seen.entry(act.clone()).or_insert(0);
        *n += 1;
        *n
    };
    let fault = rules
        .iter()
        .find(|r| r.action == act && r.times.is_none_or(|t| attempt <= t))
        .map(|r| r.fault)
        .filter(|_| !filtered_out);
    log.lock().expect("log").push((act.clone(), fault, text));
    let answer = match fault {
        Some(Fault::Throttle) => Some(throttle(&req, &act)),
        Some(Fault::Unavailable) => Some(rebuild("HTTP/1.1 503 Service Unavailable", b"")),
        Some(Fault::AccessDenied) => Some(access_denied(&req, &act)),
        Some(Fault::Drop) => None,
        Some(Fault::Truncate) => forward(up, &req).map(|resp| {
            let (head, body) = split(&resp);
            let mut out = rebuild(&head, &body);
            out.truncate(out.len() - body.len() / 2);
            out
        }),
        Some(Fault::Slow(d)) => {
            std::thread::sleep(d);
            forward(up, &req).map(|resp| {
                let (head, body) = split(&resp);
                rebuild(&head, &body)
            })
        }
        Some(Fault::RepeatToken) => forward(up, &req).map(|resp| {
            let (head, body) = split(&resp);
            let text = String::from_utf8_lossy(&body);
            let close = format!("</{act}Response>");
            let looped = text.replace(&close, &format!("<nextToken>loop</nextToken>{close}"));
            rebuild(&head, looped.as_bytes())
        }),
        None => canned_answer(&req, policy.canned).or_else(|| {
            forward(up, &req).map(|resp| {
                let (head, body) = split(&resp);
                rebuild(&head, &body)
            })
        }),
    };
    if let Some(bytes) = answer {
        let _ = conn.write_all(&bytes);
    }
    let _ = conn.shutdown(std::net::Shutdown::Both);
}
