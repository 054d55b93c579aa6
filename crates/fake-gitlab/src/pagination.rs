//! Offset pagination as GitLab builds it (`Gitlab::Pagination::OffsetHeaderBuilder`):
//! `X-Total`, `X-Total-Pages` (at least 1), `X-Per-Page`, `X-Page`,
//! `X-Next-Page` / `X-Prev-Page` (empty strings when there is none) and a
//! `Link` header whose URLs carry every request parameter plus the
//! endpoint's defaults, sorted like Rails `to_query`. A short last page is
//! what stops the `gitlab` crate's `Pagination::All`.

use super::params::cgi_escape;
use super::server::Response;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// The page size Grape settled on.
pub(super) struct PerPage {
    /// Items per page (1..=100).
    pub(super) per_page: usize,
    /// The value Grape saw, repeated in `Link` URLs.
    pub(super) per_page_param: u64,
}

/// `per_page`: default 20, at most 100; 0 or negative means the default.
pub(super) fn parse_per_page(query: &[(String, String)]) -> Result<PerPage, String> {
    let default = PerPage {
        per_page: 20,
        per_page_param: 20,
    };
    match query.iter().rev().find(|(k, _)| k == "per_page") {
        None => Ok(default),
        Some((_, v)) => {
            let n: i64 = v
                .trim()
                .parse()
                .map_err(|_| "per_page is invalid".to_string())?;
            match u64::try_from(n) {
                Ok(n) if n > 0 => Ok(PerPage {
                    per_page: usize::try_from(n.min(100)).expect("at most 100 fits a usize"),
                    per_page_param: n,
                }),
                _ => Ok(default),
            }
        }
    }
}

/// `page`: default 1; anything below 1 means 1.
pub(super) fn parse_page(query: &[(String, String)]) -> Result<usize, String> {
    match query.iter().rev().find(|(k, _)| k == "page") {
        None => Ok(1),
        Some((_, v)) => {
            let n: i64 = v
                .trim()
                .parse()
                .map_err(|_| "page is invalid".to_string())?;
            // Saturates where usize is narrower than i64: such a page is
            // past the end either way.
            Ok(usize::try_from(n.max(1)).unwrap_or(usize::MAX))
        }
    }
}

/// Request parameters merged over defaults, like Grape `params`
/// (repeated `key[]` values kept, other keys: last value wins).
pub(super) fn merged_params(
    query: &[(String, String)],
    defaults: &[(&str, &str)],
) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in defaults {
        map.insert(k.to_string(), vec![v.to_string()]);
    }
    let mut array_keys_seen = HashSet::new();
    for (k, v) in query {
        if k.ends_with("[]") {
            if array_keys_seen.insert(k.clone()) {
                map.insert(k.clone(), Vec::new());
            }
            map.entry(k.clone()).or_default().push(v.clone());
        } else {
            map.insert(k.clone(), vec![v.clone()]);
        }
    }
    map
}

/// Rails `Hash#to_query`: CGI-escaped `k=v` pairs, sorted.
pub(super) fn to_query(params: &BTreeMap<String, Vec<String>>) -> String {
    let mut pairs: Vec<String> = params
        .iter()
        .flat_map(|(k, vs)| {
            vs.iter()
                .map(move |v| format!("{}={}", cgi_escape(k), cgi_escape(v)))
        })
        .collect();
    pairs.sort();
    pairs.join("&")
}

/// One page of `items` with GitLab's pagination headers; only the page's
/// items are rendered, so a long listing costs the fake one page per request.
pub(super) fn paginate<T>(
    items: &[T],
    render: impl Fn(&T) -> Value,
    page: usize,
    per_page: &PerPage,
    url_base: &str,
    mut params: BTreeMap<String, Vec<String>>,
) -> Response {
    let total = items.len();
    let pp = per_page.per_page;
    let kaminari_pages = total.div_ceil(pp);
    let total_pages = kaminari_pages.max(1);
    let out_of_range = page > kaminari_pages;
    let next = (!out_of_range && page < kaminari_pages).then_some(page + 1);
    let prev = (!out_of_range && page > 1).then(|| page - 1);
    let start = (page - 1).saturating_mul(pp).min(total);
    let end = (start + pp).min(total);
    let slice: Vec<Value> = items[start..end].iter().map(render).collect();

    params.insert("per_page".into(), vec![per_page.per_page_param.to_string()]);
    let mut href = |p: usize| {
        params.insert("page".into(), vec![p.to_string()]);
        format!("{url_base}?{}", to_query(&params))
    };
    let mut links = Vec::new();
    if let Some(p) = prev {
        links.push(format!("<{}>; rel=\"prev\"", href(p)));
    }
    if let Some(n) = next {
        links.push(format!("<{}>; rel=\"next\"", href(n)));
    }
    links.push(format!("<{}>; rel=\"first\"", href(1)));
    links.push(format!("<{}>; rel=\"last\"", href(total_pages)));

    let text = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    Response::json(200, &Value::Array(slice))
        .header("X-Per-Page", pp.to_string())
        .header("X-Page", page.to_string())
        .header("X-Next-Page", text(next))
        .header("X-Prev-Page", text(prev))
        .header("Link", links.join(", "))
        .header("X-Total", total.to_string())
        .header("X-Total-Pages", total_pages.to_string())
}

/// One page of a list endpoint's `items`, with GitLab's pagination headers;
/// the `Link` URLs carry the request's parameters over the endpoint's `defaults`.
pub(super) fn page_of<T>(
    req: &super::server::Request,
    base_url: &str,
    items: &[T],
    render: impl Fn(&T) -> Value,
    page: usize,
    per_page: &PerPage,
    defaults: &[(&str, &str)],
) -> Response {
    let params = merged_params(&req.query, defaults);
    let url = format!("{base_url}{}", req.path);
    paginate(items, render, page, per_page, &url, params)
}
