//! GitLab usernames checked while the person is still at the prompt, so a
//! typo is asked again at once instead of failing the filing at the very end.

use std::collections::BTreeMap;

use crate::gitlab::Gitlab;
use crate::gitlab::{Client, GitlabError, Timing};
use crate::hire::Username;

/// What GitLab said about a username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// GitLab has the user.
    Known,
    /// GitLab has no such user: the message says so, naming the server.
    Unknown(String),
    /// Not checked: there is no token, or GitLab could not be asked. The
    /// notice says why, the first time only.
    Unchecked(Option<String>),
}

/// The GitLab users the wizard can see: connected on the first username
/// typed, each distinct name looked up once.
pub(crate) struct Directory<'g> {
    gitlab: &'g Gitlab,
    connection: Connection,
    seen: BTreeMap<String, bool>,
}

enum Connection {
    NotYet,
    Open(Box<Client>),
    /// No token, or GitLab failed once: the wizard goes on without checking,
    /// since the checklist is useful offline and filing checks again anyway.
    Off,
}

impl<'g> Directory<'g> {
    /// Checks usernames on `gitlab` when it has a token; without one, only
    /// their shape is checked, where they are parsed.
    pub(crate) fn new(gitlab: &'g Gitlab) -> Self {
        Self {
            gitlab,
            connection: if gitlab.token.is_some() {
                Connection::NotYet
            } else {
                Connection::Off
            },
            seen: BTreeMap::new(),
        }
    }

    /// Looks `username` up (`GET /users?username=`), once per distinct name.
    pub(crate) fn check(&mut self, username: &Username) -> Verdict {
        let key = username.as_str().to_ascii_lowercase();
        if let Some(known) = self.seen.get(&key) {
            return self.verdict(username, *known);
        }
        let client = match self.client() {
            Ok(Some(client)) => client,
            Ok(None) => return Verdict::Unchecked(None),
            Err(err) => return self.give_up(&err),
        };
        match client.user_id(username.as_str()) {
            Ok(_) => {
                self.seen.insert(key, true);
                Verdict::Known
            }
            Err(GitlabError::UnknownUser { .. }) => {
                self.seen.insert(key, false);
                self.verdict(username, false)
            }
            Err(err) => self.give_up(&err),
        }
    }

    fn verdict(&self, username: &Username, known: bool) -> Verdict {
        if known {
            Verdict::Known
        } else {
            Verdict::Unknown(format!(
                "no GitLab user '{username}' on {}",
                self.gitlab.server
            ))
        }
    }

    /// The open connection; `None` once checking is off.
    fn client(&mut self) -> Result<Option<&Client>, GitlabError> {
        if matches!(self.connection, Connection::NotYet) {
            // A person is waiting at the prompt, and the check is optional:
            // one retry, not the patience a filing run has.
            let timing = Timing {
                retries: self.gitlab.timing.retries.min(1),
                ..self.gitlab.timing.clone()
            };
            let client = Client::open(&self.gitlab.server, self.gitlab.token()?, &timing)?;
            self.connection = Connection::Open(Box::new(client));
        }
        Ok(match &self.connection {
            Connection::Open(client) => Some(client),
            Connection::NotYet | Connection::Off => None,
        })
    }

    fn give_up(&mut self, err: &GitlabError) -> Verdict {
        self.connection = Connection::Off;
        Verdict::Unchecked(Some(format!(
            "Cannot check usernames on {}, so they are not checked now ({err}); filing checks them again.",
            self.gitlab.server
        )))
    }
}
