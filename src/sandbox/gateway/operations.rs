//! The operation table the gateway consults before routing: for a method and path, which operation is
//! called, whether it needs credentials, and which family scope it needs. Built once at start-up from
//! the OpenAPI metadata the handlers generate, so it can never disagree with the spec.

use poem::http::Method;
use poem_openapi::registry::MetaApi;

use crate::sandbox::gateway::scopes::{control_need, ControlNeed, Scope};

/// Paths of the sandbox's own control plane: never a family scope, never counted, never encrypted —
/// even when a family's API declares them (`/sandbox/upi/{BankRRN}/approve` under Payments).
pub const CONTROL_PREFIXES: &[&str] = &["/sandbox/", "/healthz", "/oauth2/"];

/// One operation, as the gateway sees it.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the spec writes it (`/api/v1/ifsc/{ifsc}`).
    pub path: String,
    /// The operationId.
    pub id: &'static str,
    /// Needs `apikey` or a bearer token.
    pub secured: bool,
    /// The family scope, from the operation's tag; `None` for the control plane (by path, see
    /// [`CONTROL_PREFIXES`]). Only business operations count against the quota and travel encrypted.
    pub scope: Option<Scope>,
    /// Takes a request body (encrypted apps must send it in the envelope).
    pub has_body: bool,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

impl Operation {
    /// Whether it is one of a family's operations (scoped, counted, encrypted), not the control plane's.
    pub fn is_business(&self) -> bool {
        self.scope.is_some()
    }

    /// The family the operation acts for: its scope, or the family a control operation acts on
    /// (`/sandbox/upi/...` → payments).
    pub fn family(&self) -> Option<Scope> {
        self.scope.or(match control_need(self.id) {
            ControlNeed::Family(scope) => Some(scope),
            _ => None,
        })
    }

    fn matches(&self, method: &Method, path: &[&str]) -> bool {
        self.method == method
            && self.segments.len() == path.len()
            && self.segments.iter().zip(path).all(|(s, p)| match s {
                Segment::Literal(literal) => literal == p,
                Segment::Param => !p.is_empty(),
            })
    }
}

/// Every operation of the API.
#[derive(Debug, Default)]
pub struct Operations {
    operations: Vec<Operation>,
}

impl Operations {
    /// The table of the operations the APIs declare.
    pub fn from_meta(apis: Vec<MetaApi>) -> Self {
        let mut operations = Vec::new();
        for path in apis.iter().flat_map(|api| &api.paths) {
            let segments: Vec<Segment> = split(&path.path)
                .into_iter()
                .map(|s| {
                    if s.starts_with(':') || s.starts_with('{') {
                        Segment::Param
                    } else {
                        Segment::Literal(s.to_string())
                    }
                })
                .collect();
            let control = CONTROL_PREFIXES.iter().any(|p| path.path.starts_with(p));
            for op in &path.operations {
                operations.push(Operation {
                    method: op.method.clone(),
                    path: path.path.clone(),
                    id: op.operation_id.unwrap_or_default(),
                    secured: !op.security.is_empty(),
                    scope: if control {
                        None
                    } else {
                        op.tags.iter().find_map(|tag| Scope::for_tag(tag))
                    },
                    has_body: op.request.is_some(),
                    segments: segments.clone(),
                });
            }
        }
        // Literal segments win over parameters (`/x/me` before `/x/{id}`).
        operations.sort_by_key(|op| {
            op.segments
                .iter()
                .map(|s| u8::from(*s == Segment::Param))
                .collect::<Vec<_>>()
        });
        Self { operations }
    }

    /// The operation a request calls. `HEAD` calls the `GET` operation (the router answers it
    /// without the body), so it passes the same credentials, quota and log.
    pub fn find(&self, method: &Method, path: &str) -> Option<&Operation> {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        let path = split(path);
        self.operations.iter().find(|op| op.matches(method, &path))
    }

    /// The methods the operations at `path` answer (empty: no operation has this path). Only the
    /// most specific template counts, as in routing (`/x/me` before `/x/{id}`).
    pub fn methods_at(&self, path: &str) -> Vec<Method> {
        let path = split(path);
        let Some(first) = self
            .operations
            .iter()
            .find(|op| op.matches(&op.method, &path))
        else {
            return Vec::new();
        };
        self.operations
            .iter()
            .filter(|op| op.path == first.path)
            .map(|op| op.method.clone())
            .collect()
    }

    /// Every operation, in the order the APIs declare them.
    pub fn iter(&self) -> impl Iterator<Item = &Operation> {
        self.operations.iter()
    }
}

fn split(path: &str) -> Vec<&str> {
    path.trim_start_matches('/').split('/').collect()
}
