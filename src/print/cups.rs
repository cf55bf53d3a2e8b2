//! CUPS over IPP/1.1 (RFC 8010/8011, CUPS extensions), without libcups: a small HTTP POST to the
//! local scheduler — the socket `CUPS_SERVER` names (`host[:port]` or a path), else
//! `/run/cups/cups.sock`, else `localhost:631` — with a timeout on every step.
//!
//! Operations used: CUPS-Get-Printers (0x4002) and CUPS-Get-Default (0x4001) to list; Print-Job
//! (0x0002) with `document-format application/pdf` and `copies`.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use super::{PrintError, Printer, Printout};

/// How long to wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long to wait for each read or write of a listing.
const LIST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for each read or write of a print job (the scheduler spools the document).
const JOB_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest answer read (a listing of many printers is a few kB).
const MAX_RESPONSE: usize = 16 << 20;

const GET_PRINTERS: u16 = 0x4002;
const GET_DEFAULT: u16 = 0x4001;
const PRINT_JOB: u16 = 0x0002;

// Delimiter and value tags.
const OPERATION: u8 = 0x01;
const JOB: u8 = 0x02;
const END: u8 = 0x03;
const PRINTER: u8 = 0x04;
const INTEGER: u8 = 0x21;
const NAME: u8 = 0x42;
const KEYWORD: u8 = 0x44;
const URI: u8 = 0x45;
const CHARSET: u8 = 0x47;
const LANGUAGE: u8 = 0x48;
const MIME: u8 = 0x49;

/// Where the scheduler listens.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Server {
    Socket(PathBuf),
    Tcp(String, u16),
}

impl std::fmt::Display for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Server::Socket(p) => write!(f, "{}", p.display()),
            Server::Tcp(h, port) => write!(f, "{h}:{port}"),
        }
    }
}

/// `CUPS_SERVER` (`host`, `host:port`, `[v6]:port`, `/path/to/socket`; a `/version=…` suffix
/// ignored), else the local socket when it exists, else localhost:631.
fn server() -> Server {
    if let Some(s) = std::env::var("CUPS_SERVER").ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        return parse_server(&s);
    }
    for p in ["/run/cups/cups.sock", "/var/run/cups/cups.sock"] {
        if std::path::Path::new(p).exists() {
            return Server::Socket(p.into());
        }
    }
    Server::Tcp("localhost".into(), 631)
}

fn parse_server(s: &str) -> Server {
    if s.starts_with('/') {
        return Server::Socket(s.into());
    }
    let s = s.split('/').next().unwrap_or(s);
    if let Some(rest) = s.strip_prefix('[') {
        if let Some((host, tail)) = rest.split_once(']') {
            let port = tail.strip_prefix(':').and_then(|p| p.parse().ok()).unwrap_or(631);
            return Server::Tcp(host.to_string(), port);
        }
    }
    match s.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => Server::Tcp(host.to_string(), port.parse().unwrap_or(631)),
        _ => Server::Tcp(s.to_string(), 631),
    }
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

fn no_service(server: &Server, why: &str) -> PrintError {
    PrintError::NoService(format!(
        "没有找到打印服务（CUPS）：无法连接 {server}（{why}）。请确认已安装并启动 CUPS（如 sudo systemctl start cups），或用环境变量 CUPS_SERVER 指定打印服务器"
    ))
}

fn connect(server: &Server, timeout: Duration) -> Result<Box<dyn Stream>, PrintError> {
    let why = |e: &std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => "套接字不存在".to_string(),
        std::io::ErrorKind::ConnectionRefused => "连接被拒绝，打印服务未运行".to_string(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => "连接超时".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有权限".to_string(),
        _ => e.to_string(),
    };
    match server {
        Server::Socket(path) => {
            let s = std::os::unix::net::UnixStream::connect(path).map_err(|e| no_service(server, &why(&e)))?;
            s.set_read_timeout(Some(timeout)).and_then(|()| s.set_write_timeout(Some(timeout))).map_err(|e| no_service(server, &why(&e)))?;
            Ok(Box::new(s))
        }
        Server::Tcp(host, port) => {
            let addrs = (host.as_str(), *port).to_socket_addrs().map_err(|e| no_service(server, &format!("无法解析主机名：{e}")))?;
            let mut last = None;
            for addr in addrs {
                match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
                    Ok(s) => {
                        s.set_read_timeout(Some(timeout)).and_then(|()| s.set_write_timeout(Some(timeout))).map_err(|e| no_service(server, &why(&e)))?;
                        let _ = s.set_nodelay(true);
                        return Ok(Box::new(s));
                    }
                    Err(e) => last = Some(e),
                }
            }
            Err(no_service(server, &last.map_or_else(|| "无法解析主机名".to_string(), |e| why(&e))))
        }
    }
}

/// An IPP request being built.
struct Request {
    buf: Vec<u8>,
}

impl Request {
    fn new(operation: u16) -> Request {
        let mut r = Request { buf: vec![1, 1] };
        r.buf.extend(operation.to_be_bytes());
        r.buf.extend(1u32.to_be_bytes());
        r.buf.push(OPERATION);
        r.attr(CHARSET, "attributes-charset", b"utf-8");
        r.attr(LANGUAGE, "attributes-natural-language", b"zh-cn");
        r
    }

    fn attr(&mut self, tag: u8, name: &str, value: &[u8]) -> &mut Request {
        self.buf.push(tag);
        self.buf.extend((name.len() as u16).to_be_bytes());
        self.buf.extend(name.as_bytes());
        // Values longer than an IPP value may be are cut (names and titles only).
        let value = &value[..value.len().min(u16::MAX as usize)];
        self.buf.extend((value.len() as u16).to_be_bytes());
        self.buf.extend(value);
        self
    }

    /// A further value of the attribute just added (1setOf).
    fn also(&mut self, tag: u8, value: &[u8]) -> &mut Request {
        self.attr(tag, "", value)
    }

    fn group(&mut self, tag: u8) -> &mut Request {
        self.buf.push(tag);
        self
    }

    fn end(mut self) -> Vec<u8> {
        self.buf.push(END);
        self.buf
    }
}

/// One attribute of a response: name and values (tag, bytes).
#[derive(Debug)]
struct Attr {
    name: String,
    values: Vec<(u8, Vec<u8>)>,
}

impl Attr {
    fn text(&self) -> String {
        self.values.first().map(|(_, v)| String::from_utf8_lossy(v).into_owned()).unwrap_or_default()
    }
    fn int(&self) -> Option<u32> {
        self.values.first().and_then(|(_, v)| v.as_slice().try_into().ok()).map(u32::from_be_bytes)
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    groups: Vec<(u8, Vec<Attr>)>,
}

impl Response {
    fn parse(b: &[u8]) -> Option<Response> {
        let status = u16::from_be_bytes(b.get(2..4)?.try_into().ok()?);
        let mut groups: Vec<(u8, Vec<Attr>)> = Vec::new();
        let mut i = 8;
        let u16_at = |i: usize| b.get(i..i + 2).map(|s| u16::from_be_bytes([s[0], s[1]]) as usize);
        loop {
            let tag = *b.get(i)?;
            i += 1;
            if tag == END {
                break;
            }
            if tag < 0x10 {
                groups.push((tag, Vec::new()));
                continue;
            }
            let name_len = u16_at(i)?;
            let name = String::from_utf8_lossy(b.get(i + 2..i + 2 + name_len)?).into_owned();
            i += 2 + name_len;
            let value_len = u16_at(i)?;
            let value = b.get(i + 2..i + 2 + value_len)?.to_vec();
            i += 2 + value_len;
            let (_, attrs) = groups.last_mut()?;
            if name.is_empty() {
                attrs.last_mut()?.values.push((tag, value));
            } else {
                attrs.push(Attr { name, values: vec![(tag, value)] });
            }
        }
        Some(Response { status, groups })
    }

    fn ok(&self) -> bool {
        self.status < 0x0100
    }

    fn find(&self, group: u8, name: &str) -> Option<&Attr> {
        self.groups.iter().filter(|(g, _)| *g == group).flat_map(|(_, a)| a).find(|a| a.name == name)
    }

    /// The scheduler's words for a failure, with the IPP status code.
    fn failure(&self) -> String {
        let message = self.find(OPERATION, "status-message").map(|a| a.text()).unwrap_or_default();
        let plain = match self.status {
            0x0400 => "请求有误",
            0x0401 | 0x0403 => "没有权限",
            0x0402 => "需要身份验证",
            0x0406 => "打印机不存在",
            0x040a => "文档格式不受支持",
            0x0500 => "打印服务内部错误",
            0x0506 => "打印机暂停或不接受作业",
            0x0507 => "打印机暂停或不接受作业",
            _ => "打印服务拒绝了请求",
        };
        if message.is_empty() {
            format!("{plain}（IPP 状态 0x{:04x}）", self.status)
        } else {
            format!("{plain}：{message}（IPP 状态 0x{:04x}）", self.status)
        }
    }
}

/// POSTs an IPP request (plus document bytes) to `resource` and reads the answer.
fn call(resource: &str, request: &[u8], document: &[u8], timeout: Duration) -> Result<Response, PrintError> {
    let server = server();
    let mut s = connect(&server, timeout)?;
    let host = match &server {
        Server::Socket(_) => "localhost".to_string(),
        Server::Tcp(h, p) if h.contains(':') => format!("[{h}]:{p}"),
        Server::Tcp(h, p) => format!("{h}:{p}"),
    };
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            PrintError::NoService(format!("打印服务（CUPS，{server}）没有响应（等待超过 {} 秒）", timeout.as_secs()))
        }
        _ => PrintError::Failed(format!("与打印服务（{server}）的连接中断：{e}")),
    };
    let head = format!(
        "POST {resource} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/ipp\r\nContent-Length: {}\r\nUser-Agent: zipin/{}\r\nConnection: close\r\n\r\n",
        request.len() + document.len(),
        env!("CARGO_PKG_VERSION")
    );
    s.write_all(head.as_bytes()).map_err(io)?;
    s.write_all(request).map_err(io)?;
    s.write_all(document).map_err(io)?;
    s.flush().map_err(io)?;
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    // Until the scheduler closes the connection (Connection: close) or the body is complete.
    loop {
        let n = match s.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&chunk[..n]);
        if raw.len() > MAX_RESPONSE {
            return Err(PrintError::Failed("打印服务的回答过长".into()));
        }
        if http_body(&raw).is_some_and(|(_, complete)| complete) {
            break;
        }
    }
    let garbled = || PrintError::Failed(format!("{server} 的回答不是打印服务（IPP）的回答"));
    let status_line = raw.split(|&b| b == b'\n').next().map(|l| String::from_utf8_lossy(l).trim().to_string()).unwrap_or_default();
    let code: u16 = status_line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or_else(garbled)?;
    match code {
        200 => {}
        401 => return Err(PrintError::Failed("打印服务要求身份验证（HTTP 401）".into())),
        403 => return Err(PrintError::Failed("打印服务拒绝了访问（HTTP 403）".into())),
        404 => return Err(PrintError::Failed(format!("打印服务没有 {resource}（HTTP 404）"))),
        _ => return Err(PrintError::Failed(format!("打印服务回答 {status_line}"))),
    }
    let (body, _) = http_body(&raw).ok_or_else(garbled)?;
    Response::parse(&body).ok_or_else(garbled)
}

/// The body of an HTTP response read so far (de-chunked) and whether it is complete; `None`
/// before the headers have arrived.
fn http_body(raw: &[u8]) -> Option<(Vec<u8>, bool)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let header = |name: &str| head.lines().find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()));
    let body = &raw[end..];
    if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            let Some(eol) = body[i..].windows(2).position(|w| w == b"\r\n") else { return Some((out, false)) };
            let size_text = String::from_utf8_lossy(&body[i..i + eol]).to_string();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).ok()?;
            i += eol + 2;
            if size == 0 {
                return Some((out, true));
            }
            if body.len() < i + size + 2 {
                out.extend_from_slice(&body[i..body.len().min(i + size)]);
                return Some((out, false));
            }
            out.extend_from_slice(&body[i..i + size]);
            i += size + 2;
        }
    }
    match header("content-length:").and_then(|v| v.parse::<usize>().ok()) {
        Some(n) => Some((body[..body.len().min(n)].to_vec(), body.len() >= n)),
        None => Some((body.to_vec(), false)),
    }
}

/// The user the job is submitted for (cups-pdf and the job list show it).
fn user() -> String {
    ["USER", "LOGNAME", "USERNAME"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty())).unwrap_or_else(|| "zipin".into())
}

/// A printer's queue name in a URI path.
fn escape(name: &str) -> String {
    name.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

pub(super) fn printers() -> Result<Vec<Printer>, PrintError> {
    let mut req = Request::new(GET_PRINTERS);
    req.attr(NAME, "requesting-user-name", user().as_bytes());
    req.attr(KEYWORD, "requested-attributes", b"printer-name");
    for a in ["printer-info", "printer-make-and-model", "printer-is-accepting-jobs"] {
        req.also(KEYWORD, a.as_bytes());
    }
    let resp = call("/", &req.end(), &[], LIST_TIMEOUT)?;
    // No printers at all: CUPS answers client-error-not-found.
    if resp.status == 0x0406 {
        return Ok(Vec::new());
    }
    if !resp.ok() {
        return Err(PrintError::Failed(resp.failure()));
    }
    let default = default_name();
    let mut list = Vec::new();
    for (_, attrs) in resp.groups.iter().filter(|(g, _)| *g == PRINTER) {
        let get = |n: &str| attrs.iter().find(|a| a.name == n).map(Attr::text).unwrap_or_default();
        let name = get("printer-name");
        if name.is_empty() {
            continue;
        }
        let info = Some(get("printer-info")).filter(|s| !s.is_empty()).unwrap_or_else(|| get("printer-make-and-model"));
        let is_default = default.as_deref() == Some(name.as_str());
        list.push(Printer { name, info, is_default });
    }
    Ok(list)
}

/// The default printer: `LPDEST` or `PRINTER` if set (as lp and lpr read them), else the
/// scheduler's (CUPS-Get-Default); `None` when there is none.
fn default_name() -> Option<String> {
    for k in ["LPDEST", "PRINTER"] {
        if let Some(v) = std::env::var(k).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
            return Some(v.split('/').next().unwrap_or(&v).to_string());
        }
    }
    let mut req = Request::new(GET_DEFAULT);
    req.attr(NAME, "requesting-user-name", user().as_bytes());
    req.attr(KEYWORD, "requested-attributes", b"printer-name");
    let resp = call("/", &req.end(), &[], LIST_TIMEOUT).ok()?;
    resp.ok().then(|| resp.find(PRINTER, "printer-name").map(Attr::text)).flatten().filter(|n| !n.is_empty())
}

pub(super) fn print(printer: &str, printout: &Printout, copies: u32) -> Result<Option<u32>, PrintError> {
    let pdf = printout.pdf()?;
    let resource = format!("/printers/{}", escape(printer));
    let mut req = Request::new(PRINT_JOB);
    req.attr(URI, "printer-uri", format!("ipp://localhost{resource}").as_bytes());
    req.attr(NAME, "requesting-user-name", user().as_bytes());
    req.attr(NAME, "job-name", printout.title.as_bytes());
    req.attr(MIME, "document-format", b"application/pdf");
    req.group(JOB);
    req.attr(INTEGER, "copies", &copies.to_be_bytes());
    let resp = call(&resource, &req.end(), &pdf, JOB_TIMEOUT)?;
    if !resp.ok() {
        return Err(PrintError::Failed(resp.failure()));
    }
    Ok(resp.find(JOB, "job-id").and_then(Attr::int))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn cups_server_forms() {
        assert_eq!(parse_server("/run/cups/cups.sock"), Server::Socket("/run/cups/cups.sock".into()));
        assert_eq!(parse_server("print.example:8631"), Server::Tcp("print.example".into(), 8631));
        assert_eq!(parse_server("print.example"), Server::Tcp("print.example".into(), 631));
        assert_eq!(parse_server("localhost:631/version=1.1"), Server::Tcp("localhost".into(), 631));
        assert_eq!(parse_server("[::1]:632"), Server::Tcp("::1".into(), 632));
    }

    #[test]
    fn responses_parse_and_garbage_does_not_panic() {
        // A CUPS-Get-Printers answer with two printers, one of them with a 1setOf.
        let mut r = vec![1, 1, 0, 0, 0, 0, 0, 1, OPERATION];
        let attr = |tag: u8, name: &str, value: &[u8], r: &mut Vec<u8>| {
            r.push(tag);
            r.extend((name.len() as u16).to_be_bytes());
            r.extend(name.as_bytes());
            r.extend((value.len() as u16).to_be_bytes());
            r.extend(value);
        };
        attr(CHARSET, "attributes-charset", b"utf-8", &mut r);
        for name in ["a", "办公室"] {
            r.push(PRINTER);
            attr(NAME, "printer-name", name.as_bytes(), &mut r);
            attr(KEYWORD, "x", b"1", &mut r);
            attr(KEYWORD, "", b"2", &mut r);
        }
        r.push(END);
        let resp = Response::parse(&r).expect("parses");
        assert!(resp.ok());
        let names: Vec<String> = resp.groups.iter().filter(|(g, _)| *g == PRINTER).map(|(_, a)| a[0].text()).collect();
        assert_eq!(names, ["a", "办公室"]);
        assert_eq!(resp.groups[1].1[1].values.len(), 2);
        for n in 0..r.len() {
            let _ = Response::parse(&r[..n]);
        }
        let mut x: u32 = 12345;
        for _ in 0..2000 {
            let mut junk = r.clone();
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            let at = (x as usize >> 8) % junk.len();
            junk[at] = (x >> 3) as u8;
            let _ = Response::parse(&junk);
        }
    }

    #[test]
    fn http_bodies_chunked_or_not() {
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(http_body(chunked), Some((b"abcde".to_vec(), true)));
        assert_eq!(http_body(&chunked[..60]).map(|(_, c)| c), Some(false));
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
        assert_eq!(http_body(plain), Some((b"abc".to_vec(), true)));
        assert_eq!(http_body(b"HTTP/1.1 200"), None);
    }

    /// A server that accepts the connection and never answers: an error within the timeout.
    #[test]
    fn a_silent_server_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let keep = std::thread::spawn(move || {
            let conn = listener.accept();
            std::thread::sleep(Duration::from_secs(3));
            drop(conn);
        });
        let server = Server::Tcp("127.0.0.1".into(), addr.port());
        let t0 = std::time::Instant::now();
        let mut s = connect(&server, Duration::from_millis(500)).expect("connects");
        s.write_all(b"POST / HTTP/1.1\r\n\r\n").unwrap();
        let mut buf = [0u8; 10];
        assert!(s.read(&mut buf).is_err(), "the read times out");
        assert!(t0.elapsed() < Duration::from_secs(2));
        drop(s);
        keep.join().unwrap();
    }
}
