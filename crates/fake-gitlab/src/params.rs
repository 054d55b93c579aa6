//! Request parameters the way Grape sees them: query string and body merged
//! (`key[]` repeats collected into arrays), coerced to GitLab's types.
//! Decoding uses `url::form_urlencoded` and `percent-encoding`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{json, Map, Value};

/// `application/x-www-form-urlencoded` (or query string) pairs, decoded.
pub(super) fn parse_urlencoded(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

/// A path with every percent-escape decoded (lossy UTF-8; `+` stays `+`).
pub(super) fn decode_path(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// Ruby `CGI.escape` (what Rails `to_query` uses) for `Link` URLs.
pub(super) fn cgi_escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Grape's view of the parameters: query first, then the body on top.
pub(super) struct Params(pub(super) Map<String, Value>);

impl Params {
    /// Merges the query and a form or JSON body; a JSON body that is not an
    /// object is the 400 Grape answers.
    pub(super) fn from_request(
        query: &[(String, String)],
        content_type: &str,
        body: &[u8],
    ) -> Result<Params, String> {
        let mut map = form_to_map(query);
        if content_type.to_ascii_lowercase().contains("json") {
            if !body.iter().all(u8::is_ascii_whitespace) {
                match serde_json::from_slice::<Value>(body) {
                    Ok(Value::Object(obj)) => map.extend(obj),
                    _ => return Err("message body does not match declared format".into()),
                }
            }
        } else if !body.is_empty() {
            map.extend(form_to_map(&parse_urlencoded(body)));
        }
        Ok(Params(map))
    }

    /// The raw value, when present and not null.
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// True when the key was sent at all (even empty or null).
    pub(super) fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// A `String` parameter: `Err("<name> is invalid")` for arrays/objects.
    pub(super) fn string(&self, name: &str) -> Result<Option<String>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => scalar_string(v)
                .map(Some)
                .ok_or_else(|| format!("{name} is invalid")),
        }
    }

    /// A `Boolean` parameter (dry-types `Params::Bool`).
    pub(super) fn bool(&self, name: &str) -> Result<Option<bool>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => parse_bool(v)
                .map(Some)
                .ok_or_else(|| format!("{name} is invalid")),
        }
    }

    /// An `Array[Integer]` parameter (`k[]` repeats, JSON array or `1,2`).
    pub(super) fn ids(&self, name: &str) -> Result<Option<Vec<u64>>, String> {
        match self.0.get(name) {
            None => Ok(None),
            Some(v) => parse_id_list(v)
                .map(Some)
                .ok_or_else(|| format!("{name} is invalid")),
        }
    }

    /// A comma-separated (or array) list of label names, trimmed, in order.
    pub(super) fn labels(&self, name: &str) -> Result<Option<Vec<String>>, String> {
        let raw: Vec<String> = match self.0.get(name) {
            None => return Ok(None),
            Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut all = Vec::new();
                for item in items {
                    all.push(scalar_string(item).ok_or_else(|| format!("{name} is invalid"))?);
                }
                all
            }
            Some(v) => vec![scalar_string(v).ok_or_else(|| format!("{name} is invalid"))?],
        };
        Ok(Some(split_labels(raw.iter().map(String::as_str))))
    }
}

/// Form pairs to a map: `k[]` keys collect into arrays under `k`.
pub(super) fn form_to_map(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in pairs {
        if let Some(base) = k.strip_suffix("[]") {
            match map.get_mut(base) {
                Some(Value::Array(items)) => items.push(json!(v)),
                _ => {
                    map.insert(base.to_string(), json!([v]));
                }
            }
        } else {
            map.insert(k.clone(), json!(v));
        }
    }
    map
}

/// A JSON scalar as the string Grape would coerce it to.
pub(super) fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Grape/dry-types `Params::Bool`.
pub(super) fn parse_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
            "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An integer array: JSON array, `k[]` repeats, or a comma-separated string.
pub(super) fn parse_id_list(v: &Value) -> Option<Vec<u64>> {
    let one = |v: &Value| -> Option<Vec<u64>> {
        match v {
            Value::Number(n) => n.as_u64().map(|n| vec![n]),
            Value::String(s) => s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<u64>().ok())
                .collect(),
            Value::Null => Some(Vec::new()),
            _ => None,
        }
    };
    match v {
        Value::Array(items) => {
            let mut all = Vec::new();
            for item in items {
                all.extend(one(item)?);
            }
            Some(all)
        }
        other => one(other),
    }
}

/// Comma-separated label lists to names: trimmed, blanks and repeats dropped,
/// in the order given (scoped-label exclusivity depends on that order).
pub(super) fn split_labels<'a>(raw: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for chunk in raw {
        for label in chunk.split(',') {
            let label = label.trim();
            if !label.is_empty() && !out.iter().any(|l| l == label) {
                out.push(label.to_string());
            }
        }
    }
    out
}

/// A strict `YYYY-MM-DD` date.
pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Grape `DateTime` coercion: RFC 3339, a naive date-time (UTC) or a date.
pub(super) fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc());
        }
    }
    parse_date(s)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// ISO 8601 with milliseconds, like GitLab: `2024-01-31T09:15:00.123Z`.
pub(super) fn iso8601(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// RFC 7231 IMF-fixdate, e.g. `Tue, 05 Jan 2021 11:00:00 GMT`.
pub(super) fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
