//! Reading the attributes of a planned object (`change.after` / `change.before`) with their
//! types checked and their unknown values (`after_unknown`) resolved through the configuration
//! ([`super::refs`]).

use super::format::{kind, PlanError, ResourceChange};
use super::refs::Resolver;
use crate::diag::pointer_token;
use serde_json::{Map, Value};

/// Why one attribute could not be read.
#[derive(Debug)]
pub enum Fault {
    /// A value of the wrong type: the plan is unusable (exit 2).
    Bad(PlanError),
    /// A value known only after apply that names no resource of the plan: this change is not
    /// evaluated (listed with the reason).
    Unknown(String),
}

impl From<PlanError> for Fault {
    fn from(e: PlanError) -> Self {
        Fault::Bad(e)
    }
}

/// One object of a plan (or one nested block of it).
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub file: &'a str,
    pub rc: &'a ResourceChange,
    pub res: &'a Resolver,
}

/// An object of the plan and what is known of it.
#[derive(Clone)]
pub struct Attrs<'a> {
    pub obj: &'a Map<String, Value>,
    unknown: &'a Value,
    expr: Option<&'a Value>,
    pub ptr: String,
    ctx: Ctx<'a>,
}

static NULL: Value = Value::Null;

impl<'a> Attrs<'a> {
    pub fn new(
        obj: &'a Map<String, Value>,
        unknown: &'a Value,
        expr: Option<&'a Value>,
        ptr: String,
        ctx: Ctx<'a>,
    ) -> Self {
        Attrs {
            obj,
            unknown,
            expr,
            ptr,
            ctx,
        }
    }

    fn at(&self, key: &str) -> String {
        // `key` is an attribute name, or `name/index` (already a pointer path) for elements.
        let path: Vec<String> = key.split('/').map(pointer_token).collect();
        format!("{}/{}", self.ptr, path.join("/"))
    }

    fn bad(&self, key: &str, message: String) -> Fault {
        Fault::Bad(PlanError {
            file: self.ctx.file.to_string(),
            pointer: self.at(key),
            message,
        })
    }

    /// Whether `after_unknown` marks `key` (or a part of it) as known only after apply.
    fn unknown(&self, key: &str) -> bool {
        fn any_true(v: &Value) -> bool {
            match v {
                Value::Bool(b) => *b,
                Value::Array(a) => a.iter().any(any_true),
                Value::Object(o) => o.values().any(any_true),
                _ => false,
            }
        }
        match self.unknown {
            Value::Bool(true) => true,
            Value::Object(o) => o.get(key).is_some_and(any_true),
            _ => false,
        }
    }

    fn resolved(&self, key: &str) -> Vec<String> {
        let e = self.expr.and_then(|e| e.get(key));
        self.ctx.res.resolve(self.ctx.rc, e)
    }

    fn unknown_fault(&self, key: &str) -> Fault {
        Fault::Unknown(format!(
            "`{key}` is known only after apply and its configuration names no resource of the plan"
        ))
    }

    /// A string attribute; an unknown one resolved through its references.
    pub fn str(&self, key: &str) -> Result<Option<String>, Fault> {
        match self.obj.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                if self.unknown(key) {
                    // Known only after apply: what its configuration names, else nothing (an
                    // optional attribute AWS computes); a required one fails in `req_str`.
                    let r = self.resolved(key);
                    match r.len() {
                        0 => Ok(None),
                        1 => Ok(r.into_iter().next()),
                        _ => Err(self.unknown_fault(key)),
                    }
                } else {
                    Ok(None)
                }
            }
            Some(v) => Err(self.bad(key, format!("expected a string, got {}", kind(v)))),
        }
    }

    /// A string attribute that must be there.
    pub fn req_str(&self, key: &str) -> Result<String, Fault> {
        match self.str(key)? {
            Some(v) => Ok(v),
            None if self.unknown(key) => Err(self.unknown_fault(key)),
            None => Err(self.bad(key, "missing (required by this resource type)".into())),
        }
    }

    /// An integer attribute (Terraform writes numbers; a numeric string is accepted too).
    pub fn int(&self, key: &str) -> Result<Option<i64>, Fault> {
        match self.obj.get(key) {
            None | Some(Value::Null) => {
                if self.unknown(key) {
                    Err(self.unknown_fault(key))
                } else {
                    Ok(None)
                }
            }
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.bad(key, format!("expected an integer, got {n}"))),
            Some(Value::String(s)) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| self.bad(key, format!("expected an integer, got {s:?}"))),
            Some(v) => Err(self.bad(key, format!("expected a number, got {}", kind(v)))),
        }
    }

    /// A boolean attribute.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, Fault> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(self.bad(key, format!("expected a boolean, got {}", kind(v)))),
        }
    }

    /// A list (or set) of strings: the known ones, plus what the references of an unknown part
    /// resolve to.
    pub fn strs(&self, key: &str) -> Result<Vec<String>, Fault> {
        let mut out = Vec::new();
        match self.obj.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(a)) => {
                for (i, x) in a.iter().enumerate() {
                    match x {
                        Value::String(s) => out.push(s.clone()),
                        Value::Null => {}
                        v => {
                            return Err(self.bad(
                                &format!("{key}/{i}"),
                                format!("expected a string, got {}", kind(v)),
                            ))
                        }
                    }
                }
            }
            Some(v) => return Err(self.bad(key, format!("expected an array, got {}", kind(v)))),
        }
        if self.unknown(key) {
            let r = self.resolved(key);
            if r.is_empty() && out.is_empty() {
                return Err(self.unknown_fault(key));
            }
            for v in r {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        Ok(out)
    }

    /// A list of strings AWS may compute: an unknown one is empty.
    pub fn opt_strs(&self, key: &str) -> Result<Vec<String>, Fault> {
        match self.strs(key) {
            Err(Fault::Unknown(_)) => Ok(Vec::new()),
            other => other,
        }
    }

    /// Nested blocks (`ingress`, `route`, …): each with its part of `after_unknown` and, when
    /// the configuration lists as many blocks, its expressions.
    pub fn blocks(&self, key: &str) -> Result<Vec<Attrs<'a>>, Fault> {
        let a = match self.obj.get(key) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(a)) => a,
            Some(v) => return Err(self.bad(key, format!("expected an array, got {}", kind(v)))),
        };
        let unknowns = match self.unknown {
            Value::Object(o) => o.get(key).and_then(Value::as_array),
            _ => None,
        };
        let exprs = self
            .expr
            .and_then(|e| e.get(key))
            .and_then(Value::as_array)
            .filter(|e| e.len() == a.len());
        let mut out = Vec::with_capacity(a.len());
        for (i, b) in a.iter().enumerate() {
            let obj = b.as_object().ok_or_else(|| {
                self.bad(
                    &format!("{key}/{i}"),
                    format!("expected an object, got {}", kind(b)),
                )
            })?;
            out.push(Attrs {
                obj,
                unknown: unknowns.and_then(|u| u.get(i)).unwrap_or(&NULL),
                expr: exprs.and_then(|e| e.get(i)),
                ptr: format!("{}/{}/{i}", self.ptr, pointer_token(key)),
                ctx: self.ctx,
            });
        }
        Ok(out)
    }

    /// `tags` (a map of strings) as AWS tags, sorted by key.
    pub fn tags(&self) -> Result<Vec<crate::snapshot::aws::Tag>, Fault> {
        match self.obj.get("tags") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Object(m)) => {
                let mut out = Vec::new();
                for (k, v) in m {
                    let value = match v {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        v => {
                            return Err(Fault::Bad(PlanError {
                                file: self.ctx.file.to_string(),
                                pointer: format!("{}/tags/{}", self.ptr, pointer_token(k)),
                                message: format!("expected a string, got {}", kind(v)),
                            }))
                        }
                    };
                    out.push(crate::snapshot::aws::Tag {
                        key: k.clone(),
                        value,
                    });
                }
                Ok(out)
            }
            Some(v) => Err(self.bad("tags", format!("expected an object, got {}", kind(v)))),
        }
    }

    /// A bad value found by the caller (a CIDR that does not parse, …).
    pub fn invalid(&self, key: &str, message: String) -> Fault {
        self.bad(key, message)
    }
}
