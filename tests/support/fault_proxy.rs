//! A fault-injecting HTTP proxy on 127.0.0.1 for the collection tests: it sits between
//! `vpcreach collect --endpoint-url` and moto, recognises each AWS call by its `Action` (query
//! protocol: EC2, ElastiCache, STS) and, following a list of rules, answers some attempts with a
//! fault instead of forwarding them: throttling errors in the service's own XML shape, HTTP 503,
//! a dropped connection, a truncated body, an answer slower than the client's timeout, or a page
//! whose continuation token repeats. Every request and the fault it got are logged, so a test
//! can prove its faults were served.
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

/// A running proxy.
pub struct FaultProxy {
    pub url: String,
    log: Log,
}

impl FaultProxy {
    /// Start a proxy in front of `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str, rules: Vec<Rule>) -> FaultProxy {
        FaultProxy::start_filtered(upstream, rules, Vec::new())
    }

    /// Like [`FaultProxy::start`], but the rules of an action listed in `filters` (action,
    /// text) apply only to requests whose (URL-decoded) body contains the text.
    pub fn start_filtered(
        upstream: &str,
        rules: Vec<Rule>,
        filters: Vec<(String, String)>,
    ) -> FaultProxy {
        let filters: Filters = Arc::new(filters);
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
                let (log, seen, rules, up, filters) = (
                    log2.clone(),
                    seen.clone(),
                    rules.clone(),
                    up.clone(),
                    filters.clone(),
                );
                std::thread::spawn(move || serve(conn, &up, &rules, &filters, &seen, &log));
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

/// The `Action` of a query-protocol body, else the `X-Amz-Target` operation.
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
        .unwrap_or_default()
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

fn access_denied(action: &str) -> Vec<u8> {
    let body = format!("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:{action} (fault proxy)</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>");
    rebuild(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml",
        body.as_bytes(),
    )
}

fn serve(
    mut conn: TcpStream,
    up: &str,
    rules: &[Rule],
    filters: &[(String, String)],
    seen: &Mutex<HashMap<String, usize>>,
    log: &Mutex<Vec<(String, Option<Fault>, String)>>,
) {
    let Some(req) = read_request(&mut conn) else {
        return;
    };
    let act = action(&req);
    let text = decode(&req.body);
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
        Some(Fault::AccessDenied) => Some(access_denied(&act)),
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
        None => forward(up, &req).map(|resp| {
            let (head, body) = split(&resp);
            rebuild(&head, &body)
        }),
    };
    if let Some(bytes) = answer {
        let _ = conn.write_all(&bytes);
    }
    let _ = conn.shutdown(std::net::Shutdown::Both);
}
