//! The HTTP side: a hyper 1.x HTTP/1.1 server (keep-alive) on a tokio
//! runtime that lives on its own background std thread, so the synchronous
//! tests (and the blocking clients they run) never execute inside it.
//! A service future that returns `Err` makes hyper drop the connection
//! without an answer: that is how the "lost answer" faults work. Dropping the
//! [`Server`] shuts the runtime down with `shutdown_background`, which also
//! abandons requests that silent mode is holding.

use super::faults;
use super::params::{http_date, parse_urlencoded};
use super::state::State;
use bytes::Bytes;
use chrono::Utc;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// State shared by the handle and every connection task.
pub(super) struct Shared {
    state: Mutex<State>,
    next_connection: AtomicU64,
    pub(super) started: Instant,
}

impl Shared {
    pub(super) fn new(state: State) -> Self {
        Shared {
            state: Mutex::new(state),
            next_connection: AtomicU64::new(1),
            started: Instant::now(),
        }
    }

    /// The state; a panic elsewhere does not poison it for the other tests.
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One request, fully read.
pub(super) struct Request {
    pub(super) connection: u64,
    pub(super) method: String,
    pub(super) path: String,
    pub(super) raw_query: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
    pub(super) arrived_at: Instant,
    pub(super) received_at: Duration,
}

impl Request {
    /// The last value of a query parameter, as Rails reads repeated ones.
    pub(super) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter, from the query string and the form or JSON body;
    /// a body that cannot be read is GitLab's 400.
    pub(super) fn params(&self) -> Result<super::params::Params, Response> {
        super::params::Params::from_request(
            &self.query,
            self.header("content-type").unwrap_or(""),
            &self.body,
        )
        .map_err(super::api::bad_param)
    }

    /// First header with that name (case-insensitive).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The token as GitLab looks for it: `PRIVATE-TOKEN`, `Authorization:
    /// Bearer`, `JOB-TOKEN`, then `private_token`/`access_token` parameters.
    pub(super) fn token(&self) -> Option<String> {
        if let Some(t) = self.header("private-token") {
            return Some(t.to_string());
        }
        if let Some(auth) = self.header("authorization") {
            let (scheme, rest) = auth.split_once(' ').unwrap_or((auth, ""));
            if scheme.eq_ignore_ascii_case("bearer") {
                return Some(rest.trim().to_string());
            }
        }
        if let Some(t) = self.header("job-token") {
            return Some(t.to_string());
        }
        self.query
            .iter()
            .find(|(k, _)| k == "private_token" || k == "access_token")
            .map(|(_, v)| v.clone())
    }

    /// `POST .../projects/:id/issues`.
    pub(super) fn is_create_issue(&self) -> bool {
        self.method == "POST" && self.path.ends_with("/issues")
    }
}

/// An answer before it becomes a hyper response.
pub(super) struct Response {
    pub(super) status: u16,
    pub(super) content_type: &'static str,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
    pub(super) delivery: Delivery,
}

/// How an answer's body goes out on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Delivery {
    /// All of it at once, with a `Content-Length`.
    #[default]
    Whole,
    /// The body, then filler that never ends (chunked): a broken or
    /// hostile server, or something posing as GitLab.
    Endless,
    /// One byte at a time, this far apart (chunked): a congested link.
    Trickle(Duration),
}

/// The filler an endless body repeats.
static FILLER: [u8; 64 * 1024] = [b'a'; 64 * 1024];

/// A response body that goes out as its [`Delivery`] says.
pub(super) struct FakeBody {
    data: Bytes,
    delivery: Delivery,
    gap: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl hyper::body::Body for FakeBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = &mut *self;
        let frame = match this.delivery {
            Delivery::Whole => (!this.data.is_empty()).then(|| std::mem::take(&mut this.data)),
            Delivery::Endless if this.data.is_empty() => Some(Bytes::from_static(&FILLER)),
            Delivery::Endless => Some(std::mem::take(&mut this.data)),
            Delivery::Trickle(gap) => {
                if let Some(sleep) = this.gap.as_mut() {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                }
                this.gap = Some(Box::pin(tokio::time::sleep(gap)));
                (!this.data.is_empty()).then(|| this.data.split_to(1))
            }
        };
        Poll::Ready(frame.map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.delivery == Delivery::Whole && self.data.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        match self.delivery {
            Delivery::Whole => SizeHint::with_exact(self.data.len() as u64),
            Delivery::Endless | Delivery::Trickle(_) => SizeHint::default(),
        }
    }
}

impl Response {
    /// A JSON answer.
    pub(super) fn json(status: u16, value: &Value) -> Self {
        Response {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: value.to_string().into_bytes(),
            delivery: Delivery::Whole,
        }
    }

    /// A text answer of that content type.
    pub(super) fn text(status: u16, content_type: &'static str, body: &str) -> Self {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
            delivery: Delivery::Whole,
        }
    }

    /// Adds a header.
    pub(super) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    fn into_hyper(self) -> hyper::Response<FakeBody> {
        let mut builder = hyper::Response::builder()
            .status(self.status)
            .header("Date", http_date(Utc::now()))
            .header("Server", "fake-gitlab")
            .header("Content-Type", self.content_type)
            .header("Cache-Control", "max-age=0, private, must-revalidate")
            .header("Vary", "Origin")
            .header("X-Content-Type-Options", "nosniff")
            .header("X-Frame-Options", "SAMEORIGIN");
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = || FakeBody {
            data: Bytes::from(self.body.clone()),
            delivery: self.delivery,
            gap: None,
        };
        builder.body(body()).unwrap_or_else(|_| {
            let mut fallback = hyper::Response::new(body());
            *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            fallback
        })
    }
}

/// The background thread that owns the runtime.
pub(super) struct Server {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts serving `listener` on a new runtime thread.
pub(super) fn start(listener: std::net::TcpListener, shared: Arc<Shared>) -> io::Result<Server> {
    listener.set_nonblocking(true)?;
    let (ready_tx, ready_rx) = mpsc::channel::<io::Result<()>>();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let thread = thread::Builder::new()
        .name("fake-gitlab".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("fake-gitlab-worker")
                .enable_all()
                .build();
            let runtime = match runtime {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            let listener = {
                let _guard = runtime.enter();
                tokio::net::TcpListener::from_std(listener)
            };
            match listener {
                Ok(listener) => {
                    runtime.spawn(accept_loop(listener, shared));
                    let _ = ready_tx.send(Ok(()));
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            }
            // Until the handle is dropped (its sender goes away).
            let _ = stop_rx.recv();
            runtime.shutdown_background();
        })?;
    ready_rx
        .recv()
        .map_err(|_| io::Error::other("fake GitLab runtime thread died"))??;
    Ok(Server {
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = shared.next_connection.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |req| serve(Arc::clone(&shared), req, connection));
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn serve(
    shared: Arc<Shared>,
    req: hyper::Request<Incoming>,
    connection: u64,
) -> Result<hyper::Response<FakeBody>, io::Error> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            let resp = Response::json(
                413,
                &serde_json::json!({ "message": "413 Request Entity Too Large" }),
            );
            return Ok(resp.into_hyper());
        }
        Err(e) => return Err(io::Error::other(e.to_string())),
    };
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let arrived_at = Instant::now();
    let req = Request {
        connection,
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parse_urlencoded(raw_query.as_bytes()),
        raw_query,
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (k.as_str().to_string(), value)
            })
            .collect(),
        body,
        arrived_at,
        received_at: arrived_at.duration_since(shared.started),
    };
    match faults::respond(&shared, req).await {
        Some(resp) => Ok(resp.into_hyper()),
        None => Err(io::Error::other("answer lost on purpose")),
    }
}
