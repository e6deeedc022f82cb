//! The plan file: `format_version`, `resource_changes[]` and the `configuration` tree, read
//! from a `serde_json::Value` with every type checked (a wrong type names the JSON pointer).

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// A plan that cannot be used (exit code 2): the file and the JSON pointer of the fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("plan {file}: at {pointer}: {message}")]
pub struct PlanError {
    pub file: String,
    /// JSON pointer (`""` for the whole document).
    pub pointer: String,
    pub message: String,
}

/// What Terraform plans for one resource instance (`change.actions`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    NoOp,
    Read,
    Create,
    Update,
    Delete,
    /// `["delete","create"]` (destroy before create) or `["create","delete"]`
    /// (`create_before_destroy`): both end with the `after` object in place of `before`.
    Replace,
}

impl Action {
    /// The words of the plan for this action.
    pub fn text(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Replace => "replace",
        }
    }
}

/// One element of `resource_changes`.
#[derive(Clone, Debug)]
pub struct ResourceChange {
    /// `module.net.aws_security_group.redis[0]`.
    pub address: String,
    /// `module.net` (empty in the root module).
    pub module_address: String,
    /// `managed` or `data`.
    pub mode: String,
    pub rtype: String,
    pub name: String,
    /// `count` index (number) or `for_each` key (string), when there is one.
    pub index: Option<Value>,
    pub action: Action,
    pub before: Option<Map<String, Value>>,
    pub after: Option<Map<String, Value>>,
    /// `change.after_unknown` (an object of `true` leaves, or absent).
    pub after_unknown: Value,
    /// JSON pointer of this element (`/resource_changes/3`).
    pub pointer: String,
}

/// A read plan.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The file, as given.
    pub file: String,
    pub format_version: String,
    pub terraform_version: Option<String>,
    pub resource_changes: Vec<ResourceChange>,
    /// Configuration resources by module path and `type.name` (`("module.net", "aws_vpc.this")`):
    /// their `expressions` object.
    pub config: BTreeMap<(String, String), Value>,
}

impl Plan {
    /// The configuration `expressions` of the resource `type.name` in module `module`.
    pub fn expressions(&self, module: &str, type_name: &str) -> Option<&Value> {
        self.config
            .get(&(module.to_string(), type_name.to_string()))
    }
}

/// Read and check a plan file.
pub fn read(path: &Path) -> Result<Plan, PlanError> {
    let file = path.to_string_lossy().into_owned();
    let err = |pointer: &str, message: String| PlanError {
        file: file.clone(),
        pointer: pointer.to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err("", format!("cannot read: {e}")))?;
    parse(&file, &text)
}

/// Parse the text of a plan (`file` names it in errors).
pub fn parse(file: &str, text: &str) -> Result<Plan, PlanError> {
    let err = |pointer: &str, message: String| PlanError {
        file: file.to_string(),
        pointer: pointer.to_string(),
        message,
    };
    let doc: Value = serde_json::from_str(text).map_err(|e| err("", format!("not JSON: {e}")))?;
    let root = doc
        .as_object()
        .ok_or_else(|| err("", format!("expected an object, got {}", kind(&doc))))?;
    let version = match root.get("format_version") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => {
            return Err(err(
                "/format_version",
                format!("expected a string like \"1.2\", got {}", kind(v)),
            ))
        }
        None => {
            return Err(err(
                "/format_version",
                "missing: not the output of `terraform show -json` (or `tofu show -json`)".into(),
            ))
        }
    };
    let major = version.split('.').next().unwrap_or("");
    if major != "1" {
        return Err(err(
            "/format_version",
            format!("format_version {version:?} is not supported: vpcreach reads the JSON output format 1.x (Terraform 1.x, OpenTofu)"),
        ));
    }
    let terraform_version = root
        .get("terraform_version")
        .and_then(Value::as_str)
        .map(str::to_string);
    let changes = match root.get("resource_changes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => {
            return Err(err(
                "/resource_changes",
                format!("expected an array, got {}", kind(v)),
            ))
        }
    };
    let mut resource_changes = Vec::with_capacity(changes.len());
    for (i, c) in changes.into_iter().enumerate() {
        let p = format!("/resource_changes/{i}");
        resource_changes.push(change(c, &p).map_err(|(ptr, m)| err(&ptr, m))?);
    }
    let mut config = BTreeMap::new();
    match root.get("configuration") {
        None | Some(Value::Null) => {}
        Some(Value::Object(c)) => {
            if let Some(rm) = c.get("root_module") {
                module(rm, "/configuration/root_module", "", &mut config, 0)
                    .map_err(|(ptr, m)| err(&ptr, m))?;
            }
        }
        Some(v) => {
            return Err(err(
                "/configuration",
                format!("expected an object, got {}", kind(v)),
            ))
        }
    }
    Ok(Plan {
        file: file.to_string(),
        format_version: version,
        terraform_version,
        resource_changes,
        config,
    })
}

type Fault = (String, String);

/// A short description of what a JSON value is, for messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn string(o: &Map<String, Value>, key: &str, p: &str, required: bool) -> Result<String, Fault> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        None | Some(Value::Null) if !required => Ok(String::new()),
        None => Err((format!("{p}/{key}"), "missing".into())),
        Some(v) => Err((
            format!("{p}/{key}"),
            format!("expected a string, got {}", kind(v)),
        )),
    }
}

fn object(v: Option<&Value>, p: &str) -> Result<Option<Map<String, Value>>, Fault> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o.clone())),
        Some(v) => Err((
            p.to_string(),
            format!("expected an object or null, got {}", kind(v)),
        )),
    }
}

fn change(v: &Value, p: &str) -> Result<ResourceChange, Fault> {
    let o = v.as_object().ok_or_else(|| {
        (
            p.to_string(),
            format!("expected an object, got {}", kind(v)),
        )
    })?;
    let address = string(o, "address", p, true)?;
    let module_address = string(o, "module_address", p, false)?;
    let mode = string(o, "mode", p, false)?;
    let rtype = string(o, "type", p, true)?;
    let name = string(o, "name", p, true)?;
    let index = match o.get("index") {
        None | Some(Value::Null) => None,
        Some(x @ (Value::Number(_) | Value::String(_))) => Some(x.clone()),
        Some(x) => {
            return Err((
                format!("{p}/index"),
                format!("expected a number or a string, got {}", kind(x)),
            ))
        }
    };
    let cp = format!("{p}/change");
    let ch = match o.get("change") {
        Some(Value::Object(c)) => c,
        Some(x) => return Err((cp, format!("expected an object, got {}", kind(x)))),
        None => return Err((cp, "missing".into())),
    };
    let ap = format!("{cp}/actions");
    let actions: Vec<&str> = match ch.get("actions") {
        Some(Value::Array(a)) => {
            let mut out = Vec::new();
            for (i, x) in a.iter().enumerate() {
                out.push(x.as_str().ok_or_else(|| {
                    (
                        format!("{ap}/{i}"),
                        format!("expected a string, got {}", kind(x)),
                    )
                })?);
            }
            out
        }
        Some(x) => return Err((ap, format!("expected an array, got {}", kind(x)))),
        None => return Err((ap, "missing".into())),
    };
    let action = match actions.as_slice() {
        // `forget` (Terraform 1.7+, a `removed` block): out of the state, still in AWS.
        ["no-op"] | ["forget"] => Action::NoOp,
        ["read"] => Action::Read,
        ["create"] => Action::Create,
        ["update"] => Action::Update,
        ["delete"] => Action::Delete,
        ["delete", "create"] | ["create", "delete"] => Action::Replace,
        other => {
            return Err((ap, format!("unknown actions {other:?} (expected no-op, read, create, update, delete, [delete, create] or [create, delete])")))
        }
    };
    let before = object(ch.get("before"), &format!("{cp}/before"))?;
    let after = object(ch.get("after"), &format!("{cp}/after"))?;
    let needs_after = matches!(action, Action::Create | Action::Update | Action::Replace);
    if needs_after && after.is_none() && mode != "data" {
        return Err((
            format!("{cp}/after"),
            format!("missing: a {} needs the planned object", action.text()),
        ));
    }
    let needs_before = matches!(action, Action::Delete | Action::Update | Action::Replace);
    if needs_before && before.is_none() && mode != "data" {
        return Err((
            format!("{cp}/before"),
            format!("missing: a {} needs the current object", action.text()),
        ));
    }
    let after_unknown = match ch.get("after_unknown") {
        None | Some(Value::Null) => Value::Null,
        Some(x @ (Value::Object(_) | Value::Bool(_))) => x.clone(),
        Some(x) => {
            return Err((
                format!("{cp}/after_unknown"),
                format!("expected an object, got {}", kind(x)),
            ))
        }
    };
    Ok(ResourceChange {
        address,
        module_address,
        mode,
        rtype,
        name,
        index,
        action,
        before,
        after,
        after_unknown,
        pointer: p.to_string(),
    })
}

/// Collect the resources of one configuration module and its `module_calls` (nested up to a
/// sane depth; a deeper tree is refused rather than walked without end).
fn module(
    v: &Value,
    p: &str,
    prefix: &str,
    out: &mut BTreeMap<(String, String), Value>,
    depth: usize,
) -> Result<(), Fault> {
    if depth > 32 {
        return Err((p.to_string(), "modules nested more than 32 deep".into()));
    }
    let o = v.as_object().ok_or_else(|| {
        (
            p.to_string(),
            format!("expected an object, got {}", kind(v)),
        )
    })?;
    match o.get("resources") {
        None | Some(Value::Null) => {}
        Some(Value::Array(rs)) => {
            for (i, r) in rs.iter().enumerate() {
                let rp = format!("{p}/resources/{i}");
                let ro = r
                    .as_object()
                    .ok_or_else(|| (rp.clone(), format!("expected an object, got {}", kind(r))))?;
                let address = string(ro, "address", &rp, true)?;
                let expressions = match ro.get("expressions") {
                    None | Some(Value::Null) => Value::Object(Map::new()),
                    Some(x @ Value::Object(_)) => x.clone(),
                    Some(x) => {
                        return Err((
                            format!("{rp}/expressions"),
                            format!("expected an object, got {}", kind(x)),
                        ))
                    }
                };
                out.insert((prefix.to_string(), address), expressions);
            }
        }
        Some(x) => {
            return Err((
                format!("{p}/resources"),
                format!("expected an array, got {}", kind(x)),
            ))
        }
    }
    match o.get("module_calls") {
        None | Some(Value::Null) => {}
        Some(Value::Object(calls)) => {
            for (name, call) in calls {
                let cp = format!("{p}/module_calls/{}", crate::diag::pointer_token(name));
                let co = call.as_object().ok_or_else(|| {
                    (
                        cp.clone(),
                        format!("expected an object, got {}", kind(call)),
                    )
                })?;
                if let Some(m) = co.get("module") {
                    let sub = if prefix.is_empty() {
                        format!("module.{name}")
                    } else {
                        format!("{prefix}.module.{name}")
                    };
                    module(m, &format!("{cp}/module"), &sub, out, depth + 1)?;
                }
            }
        }
        Some(x) => {
            return Err((
                format!("{p}/module_calls"),
                format!("expected an object, got {}", kind(x)),
            ))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(actions: &str) -> String {
        format!(
            r#"{{"format_version":"1.0","resource_changes":[{{"address":"aws_vpc.a","mode":"managed","type":"aws_vpc","name":"a","change":{{"actions":{actions},"before":{{"id":"vpc-1"}},"after":{{"id":"vpc-1"}}}}}}]}}"#
        )
    }

    #[test]
    fn actions_map_to_what_they_do() {
        for (actions, want) in [
            (r#"["no-op"]"#, Action::NoOp),
            (r#"["forget"]"#, Action::NoOp),
            (r#"["update"]"#, Action::Update),
            (r#"["delete","create"]"#, Action::Replace),
            (r#"["create","delete"]"#, Action::Replace),
        ] {
            let p = parse("p.json", &rc(actions)).expect(actions);
            assert_eq!(p.resource_changes[0].action, want, "{actions}");
        }
    }

    #[test]
    fn only_major_version_1_is_read() {
        let ok = parse("p.json", r#"{"format_version":"1.9"}"#).expect("1.9");
        assert_eq!(ok.format_version, "1.9");
        for v in ["2.0", "0.2", "x"] {
            let e = parse("p.json", &format!(r#"{{"format_version":"{v}"}}"#)).unwrap_err();
            assert_eq!(
                (e.file.as_str(), e.pointer.as_str()),
                ("p.json", "/format_version")
            );
        }
    }

    #[test]
    fn module_resources_are_keyed_by_module_path() {
        let p = parse(
            "p.json",
            r#"{"format_version":"1.2","configuration":{"root_module":{"resources":[{"address":"aws_vpc.a","expressions":{}}],"module_calls":{"net":{"module":{"resources":[{"address":"aws_subnet.s","expressions":{"vpc_id":{"references":["var.v"]}}}],"module_calls":{"inner":{"module":{"resources":[{"address":"aws_route.r"}]}}}}}}}}}"#,
        )
        .expect("plan");
        assert!(p.expressions("", "aws_vpc.a").is_some());
        assert!(p.expressions("module.net", "aws_subnet.s").is_some());
        assert!(p
            .expressions("module.net.module.inner", "aws_route.r")
            .is_some());
        assert!(p.expressions("module.net", "aws_vpc.a").is_none());
    }
}
