//! `[[expect]]`, `[rules]` and `[[waive]]` parsing: the issue's example, and every error with
//! its line and column (counted by hand in each text: line 1 is the first line of the string).

use super::*;
use crate::catalogue::Code;

fn parse_str(text: &str) -> Result<Config, ConfigError> {
    parse(text, Path::new("vpcreach.toml"))
}

fn err(text: &str) -> String {
    match parse_str(text) {
        Ok(c) => panic!("expected an error, got {c:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_documented_example_parses() {
    let c = parse_str(
        r#"[sources]
office = ["203.0.113.0/24"]

[[expect]]
name = "office reaches redis only through the proxy"
from = "office"
to = "demo-redis"
port = 6379
reachable = false
direct = true

[[expect]]
from = "office"
to = "demo-redis"
verdict = "reachable"
via = "name:haproxy"

[rules]
select = ["SSM_SERVICE_UNREACHABLE", "SSM_NO_INSTANCE_PROFILE"]
ignore = ["ssm-endpoint-bypassed"]

[[waive]]
code = "SSM_NO_INSTANCE_PROFILE"
component = "i-0abc"
reason = "migration ticket NET-42"
until = 2027-03-31

[[waive]]
expect = "office reaches redis only through the proxy"
reason = "accepted"
"#,
    )
    .expect("parses");
    assert_eq!(c.expects.len(), 2);
    let e = &c.expects[0];
    assert_eq!(e.name, "office reaches redis only through the proxy");
    assert_eq!(
        (e.port.as_deref(), e.protocol.as_str(), e.want, &e.way),
        (Some("6379"), "tcp", Want::Unreachable, &Way::Direct)
    );
    assert_eq!(e.at, Location { line: 4, column: 1 });
    let d = &c.expects[1];
    assert_eq!(
        d.name,
        "office -> demo-redis tcp/default reachable via name:haproxy"
    );
    assert_eq!(d.way, Way::Via("name:haproxy".into()));
    assert_eq!(d.at.line, 12);
    let rules = c.rules.expect("rules");
    assert_eq!(rules.at.line, 18);
    assert_eq!(
        rules.select,
        Selection::Codes(vec![
            (
                Code::SSM_SERVICE_UNREACHABLE,
                Location {
                    line: 19,
                    column: 11
                }
            ),
            (
                Code::SSM_NO_INSTANCE_PROFILE,
                Location {
                    line: 19,
                    column: 38
                }
            ),
        ])
    );
    assert_eq!(rules.ignore[0].0, Code::SSM_ENDPOINT_BYPASSED);
    assert_eq!(c.waivers.len(), 2);
    assert_eq!(
        c.waivers[0].waived,
        Waived::Code {
            code: Code::SSM_NO_INSTANCE_PROFILE,
            component: Some("i-0abc".into())
        }
    );
    assert_eq!(c.waivers[0].until, Some(jiff::civil::date(2027, 3, 31)));
    assert_eq!(c.waivers[0].at.line, 22);
    assert_eq!(
        c.waivers[1].waived,
        Waived::Expect("office reaches redis only through the proxy".into())
    );
}

#[test]
fn select_all_empty_and_absent() {
    let all = parse_str("[rules]\nselect = \"all\"\n").expect("parses");
    assert_eq!(all.rules.map(|r| r.select), Some(Selection::All));
    let none = parse_str("[rules]\nselect = []\n").expect("parses");
    assert_eq!(none.rules.map(|r| r.select), Some(Selection::Codes(vec![])));
    let default = parse_str("[rules]\nignore = []\n").expect("parses");
    assert_eq!(default.rules.map(|r| r.select), Some(Selection::Default));
    assert_eq!(parse_str("").expect("parses").rules, None);
}

#[test]
fn unknown_code_is_an_error_at_its_position_with_a_suggestion() {
    // line 2: `select = ["SSM_SERVICE_UNREACHABLE", "SSM_NO_INSTANCE_PROFIL"]`; the second
    // string starts at column 38.
    let e = err("[rules]\nselect = [\"SSM_SERVICE_UNREACHABLE\", \"SSM_NO_INSTANCE_PROFIL\"]\n");
    assert!(
        e.starts_with("vpcreach.toml:2:38: unknown code \"SSM_NO_INSTANCE_PROFIL\"; did you mean SSM_NO_INSTANCE_PROFILE"),
        "{e}"
    );
    // ignore on line 3, column 11.
    let e = err("[rules]\nselect = \"all\"\nignore = [\"NOPE_NOT_A_CODE_AT_ALL_XYZ\"]\n");
    assert!(e.starts_with("vpcreach.toml:3:11: unknown code"), "{e}");
    let e = err("[[waive]]\ncode = \"SSM_NO_INSTANCE_PROFILES\"\nreason = \"x\"\n");
    assert!(
        e.starts_with("vpcreach.toml:2:8: unknown code") && e.contains("SSM_NO_INSTANCE_PROFILE"),
        "{e}"
    );
    let e = err("[rules]\nselect = \"some\"\n");
    assert!(
        e.starts_with("vpcreach.toml:2:10: rules: select = \"some\""),
        "{e}"
    );
}

#[test]
fn expectation_errors_have_positions() {
    // No verdict: the error is at the table (line 1, column 1).
    let e = err("[[expect]]\nfrom = \"office\"\nto = \"demo-redis\"\n");
    assert!(
        e.starts_with("vpcreach.toml:1:1: expect office -> demo-redis: needs `reachable"),
        "{e}"
    );
    // Both reachable and verdict: at verdict (line 4, column 11).
    let e =
        err("[[expect]]\nfrom = \"a\"\nto = \"b\"\nverdict = \"reachable\"\nreachable = true\n");
    assert!(
        e.starts_with("vpcreach.toml:4:11: expect: give `reachable` or `verdict`"),
        "{e}"
    );
    // Unknown verdict word (line 4, column 11).
    let e = err("[[expect]]\nfrom = \"a\"\nto = \"b\"\nverdict = \"maybe\"\n");
    assert!(
        e.starts_with("vpcreach.toml:4:11: expect: unknown verdict \"maybe\""),
        "{e}"
    );
    // via and direct: at direct (line 6, column 10).
    let e = err(
        "[[expect]]\nfrom = \"a\"\nto = \"b\"\nreachable = true\nvia = \"i-1\"\ndirect = true\n",
    );
    assert!(
        e.starts_with("vpcreach.toml:6:10: expect: `via` and `direct` exclude"),
        "{e}"
    );
    // Port out of range (line 4, column 8) and a bad range string.
    let e = err("[[expect]]\nfrom = \"a\"\nto = \"b\"\nport = 70000\nreachable = true\n");
    assert!(
        e.starts_with("vpcreach.toml:4:8: expect: port = 70000"),
        "{e}"
    );
    let e = err("[[expect]]\nfrom = \"a\"\nto = \"b\"\nport = \"9-3\"\nreachable = true\n");
    assert!(
        e.starts_with("vpcreach.toml:4:8: expect: port = \"9-3\""),
        "{e}"
    );
    // Missing `to`: toml reports it at the table.
    let e = err("[[expect]]\nfrom = \"a\"\nreachable = true\n");
    assert!(e.contains("missing field `to`"), "{e}");
    // Empty from (line 2, column 8).
    let e = err("[[expect]]\nfrom = \" \"\nto = \"b\"\nreachable = true\n");
    assert!(
        e.starts_with("vpcreach.toml:2:8: expect: `from` is empty"),
        "{e}"
    );
    // Unknown key (line 5, column 1).
    let e = err("[[expect]]\nfrom = \"a\"\nto = \"b\"\nreachable = true\nvai = \"x\"\n");
    assert!(
        e.starts_with("vpcreach.toml:5:1: unknown field `vai`"),
        "{e}"
    );
    // Two expectations with the same (default) name: at the second table (line 5).
    let e = err("[[expect]]\nfrom = \"a\"\nto = \"b\"\nreachable = true\n[[expect]]\nfrom = \"a\"\nto = \"b\"\nreachable = true\n");
    assert!(e.starts_with("vpcreach.toml:5:1: expect \"a -> b tcp/default reachable\" is declared twice (first at line 1)"), "{e}");
}

#[test]
fn waiver_errors_have_positions() {
    // No reason: at the table.
    let e = err("[[waive]]\ncode = \"SSM_NO_INSTANCE_PROFILE\"\n");
    assert!(
        e.starts_with("vpcreach.toml:1:1: waive: `reason` is required"),
        "{e}"
    );
    // Neither code nor expect.
    let e = err("[[waive]]\nreason = \"x\"\n");
    assert!(
        e.starts_with("vpcreach.toml:1:1: waive: needs `code"),
        "{e}"
    );
    // Both: at expect (line 3, column 10).
    let e = err("[[waive]]\ncode = \"SSM_NO_INSTANCE_PROFILE\"\nexpect = \"x\"\nreason = \"x\"\n");
    assert!(
        e.starts_with("vpcreach.toml:3:10: waive: give `code` or `expect`"),
        "{e}"
    );
    // An expect name no [[expect]] has (line 6, column 10), with the closest name.
    let e = err("[[expect]]\nname = \"redis closed\"\nfrom = \"a\"\nto = \"b\"\nreachable = false\n[[waive]]\nexpect = \"redis closd\"\nreason = \"x\"\n");
    assert!(
        e.starts_with("vpcreach.toml:7:10: waive: no [[expect]] is named \"redis closd\"; did you mean \"redis closed\"?"),
        "{e}"
    );
    // A date-time instead of a date (line 4, column 9); a string (toml's own error there).
    let e = err("[[waive]]\ncode = \"SSM_NO_INSTANCE_PROFILE\"\nreason = \"x\"\nuntil = 2027-03-31T10:00:00Z\n");
    assert!(
        e.starts_with("vpcreach.toml:4:9: waive: until = 2027-03-31T10:00:00Z"),
        "{e}"
    );
    let e = err(
        "[[waive]]\ncode = \"SSM_NO_INSTANCE_PROFILE\"\nreason = \"x\"\nuntil = \"2027-03-31\"\n",
    );
    assert!(e.starts_with("vpcreach.toml:4:9:"), "{e}");
    // component with an expect waiver (line 4, column 13).
    let e = err("[[expect]]\nname = \"n\"\nfrom = \"a\"\nto = \"b\"\nreachable = false\n[[waive]]\nexpect = \"n\"\ncomponent = \"i-1\"\nreason = \"x\"\n");
    assert!(
        e.starts_with("vpcreach.toml:8:13: waive: `component` applies to `code`"),
        "{e}"
    );
    // Empty reason (line 3, column 10).
    let e = err("[[waive]]\ncode = \"SSM_NO_INSTANCE_PROFILE\"\nreason = \"\"\n");
    assert!(
        e.starts_with("vpcreach.toml:3:10: waive: `reason` is empty"),
        "{e}"
    );
}
