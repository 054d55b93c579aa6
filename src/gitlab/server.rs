//! Where GitLab is and how `onboard` proves who it is: the address, checked
//! once, and the token, which never shows in any output.

use std::fmt;
use std::net::IpAddr;

use url::Url;

use super::error::GitlabError;
use crate::output::redact;

/// A personal access token. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

impl Token {
    /// A token as read from `GITLAB_TOKEN`; `None` when it is empty.
    pub(crate) fn new(value: &str) -> Option<Self> {
        let value = value.trim();
        (!value.is_empty()).then(|| Self(value.to_string()))
    }

    /// The secret itself, for the one header that carries it and for redaction.
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

/// A GitLab address: scheme, host, optional port and path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Server {
    base: Url,
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base.as_str().trim_end_matches('/'))
    }
}

impl Server {
    /// Parses `https://gitlab.example.com[/prefix]` or a bare host (https assumed).
    /// Plain http is refused unless the host is a loopback address.
    pub(crate) fn parse(text: &str) -> Result<Self, GitlabError> {
        let text = text.trim();
        let fail = |reason: &str| GitlabError::BadUrl {
            url: redact(text).into_owned(),
            reason: reason.to_string(),
        };
        let with_scheme = if text.contains("://") {
            text.to_string()
        } else {
            format!("https://{text}")
        };
        let mut base = Url::parse(&with_scheme).map_err(|e| fail(&e.to_string()))?;
        if !matches!(base.scheme(), "https" | "http") {
            return Err(fail(
                "only https:// (or http:// to this machine) is supported",
            ));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(fail(
                "it carries a user name or password, which are never sent: put the token in GITLAB_TOKEN, not in the address",
            ));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(fail("the address cannot have a query or fragment"));
        }
        let host = base
            .host_str()
            .ok_or_else(|| fail("it has no host"))?
            .to_string();
        if base.scheme() == "http" && !is_loopback(&host) {
            return Err(GitlabError::InsecureHost { host });
        }
        let path = base.path().trim_end_matches('/').to_string();
        base.set_path(&format!("{path}/"));
        Ok(Self { base })
    }

    /// The address of the REST API, ending in `/api/v4/`.
    pub(crate) fn api(&self) -> Url {
        self.base
            .join("api/v4/")
            .unwrap_or_else(|_| self.base.clone())
    }

    /// True when the host is this machine.
    pub(crate) fn is_loopback(&self) -> bool {
        self.base.host_str().is_some_and(is_loopback)
    }

    /// True when `url` has this server's scheme, host and port: the only
    /// place the token may be sent.
    pub(crate) fn same_origin(&self, url: &Url) -> bool {
        url.origin() == self.base.origin()
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_parsed_and_plain_http_is_only_for_loopback() {
        assert_eq!(
            Server::parse("gitlab.com").unwrap().to_string(),
            "https://gitlab.com"
        );
        assert_eq!(
            Server::parse("https://git.example.com/gitlab/")
                .unwrap()
                .api()
                .as_str(),
            "https://git.example.com/gitlab/api/v4/"
        );
        assert_eq!(
            Server::parse("http://127.0.0.1:8080")
                .unwrap()
                .api()
                .as_str(),
            "http://127.0.0.1:8080/api/v4/"
        );
        assert!(Server::parse("http://localhost:3000").is_ok());
        assert!(Server::parse("http://[::1]:3000").is_ok());
        assert!(matches!(
            Server::parse("http://gitlab.example.com"),
            Err(GitlabError::InsecureHost { .. })
        ));
        assert!(matches!(
            Server::parse("ftp://gitlab.example.com"),
            Err(GitlabError::BadUrl { .. })
        ));
        let with_secret = Server::parse("https://user:s3cret@gitlab.example.com").unwrap_err();
        assert!(
            with_secret.to_string().contains("GITLAB_TOKEN"),
            "{with_secret}"
        );
    }

    #[test]
    fn the_origin_is_scheme_host_and_port() {
        let server = Server::parse("https://git.example.com/gitlab").unwrap();
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(server.same_origin(&url("https://git.example.com/other/api/v4/user")));
        assert!(!server.same_origin(&url("http://git.example.com/gitlab/api/v4/user")));
        assert!(!server.same_origin(&url("https://git.example.com:8443/gitlab/")));
        assert!(!server.same_origin(&url("https://evil.example.com/gitlab/")));
    }

    #[test]
    fn tokens_never_show_in_debug() {
        let token = Token::new(" glpat-secret-value ").unwrap();
        assert_eq!(format!("{token:?}"), "Token([redacted])");
        assert_eq!(token.secret(), "glpat-secret-value");
        assert!(Token::new("  ").is_none());
    }
}
