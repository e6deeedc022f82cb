//! Shell completions, the man page and the exit codes in `--help` (issue 10, ecosystem
//! conventions).

use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(args)
        .output()
        .expect("run vpcreach");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const SUBCOMMANDS: [&str; 9] = [
    "inventory",
    "report",
    "collect",
    "overlaps",
    "reach",
    "explain",
    "schema",
    "completions",
    "man",
];

#[test]
fn every_shell_gets_a_script_that_completes_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(script.contains("vpcreach"), "{shell}");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} script lacks {sub}");
        }
        // Options of a subcommand are completed too.
        for opt in ["--snapshot", "--from", "--what-if-attach"] {
            let bare = opt.trim_start_matches('-');
            assert!(script.contains(bare), "{shell} script lacks {opt}");
        }
    }
    let (code, _) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2, "an unknown shell is a usage error");
}

#[test]
fn the_man_page_is_roff_with_name_and_synopsis() {
    let (code, page) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{}",
        &page[..80.min(page.len())]
    );
    assert!(page.contains(".TH vpcreach"), "title header");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH SUBCOMMANDS",
    ] {
        assert!(page.contains(section), "man page lacks {section}");
    }
    assert!(
        page.contains("reachability"),
        "the NAME line says what it is"
    );
    for sub in [
        "vpcreach\\-reach",
        "vpcreach\\-overlaps",
        "vpcreach\\-inventory",
    ] {
        assert!(page.contains(sub), "man page lacks {sub}");
    }
}

#[test]
fn analysis_commands_list_their_exit_codes_in_help() {
    for (cmd, one) in [
        ("reach", "--expect"),
        ("overlaps", "--fail-on"),
        ("inventory", "loaded with errors"),
        ("explain", ""),
        ("collect", "some calls failed"),
        ("report", "did not write"),
    ] {
        let (code, help) = run(&[cmd, "--help"]);
        assert_eq!(code, 0, "{cmd}");
        let tail = help
            .split("Exit codes:")
            .nth(1)
            .unwrap_or_else(|| panic!("{cmd} --help has no exit codes:\n{help}"));
        assert!(tail.contains("\n  0 "), "{cmd}: 0\n{tail}");
        assert!(tail.contains("\n  2 "), "{cmd}: 2\n{tail}");
        if cmd != "explain" {
            assert!(tail.contains("\n  1 "), "{cmd}: 1\n{tail}");
        }
        assert!(tail.contains(one), "{cmd}: {one}\n{tail}");
    }
}
