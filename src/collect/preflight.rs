//! Checks of `collect`'s arguments before any network call, so that a typo gets its real
//! cause (an unknown profile, a malformed role ARN, an endpoint that is not a URL) instead of
//! a connection error or a debug dump minutes later.

use std::borrow::Cow;

/// Partitions an IAM role ARN may name.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// `--endpoint-url`: an absolute `http` or `https` URL with a host.
pub fn endpoint_url(s: &str) -> Result<String, String> {
    let u = url::Url::parse(s.trim())
        .map_err(|e| format!("{s:?} is not a URL ({e}); expected e.g. http://127.0.0.1:5000"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!(
            "{s:?}: the scheme must be http or https, not {:?}",
            u.scheme()
        ));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(format!("{s:?} names no host"));
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err(format!("{s:?}: an endpoint URL takes no query or fragment"));
    }
    Ok(s.trim().to_string())
}

/// `--role-arn`: `arn:<partition>:iam::<12-digit account>:role/<path/>name`.
pub fn role_arn(s: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "{s:?} is not an IAM role ARN ({why}); expected arn:aws:iam::123456789012:role/NAME"
        ))
    };
    let parts: Vec<&str> = s.trim().splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return bad("it must have six ':'-separated parts starting with arn");
    }
    if !PARTITIONS.contains(&parts[1]) {
        return bad("unknown partition");
    }
    if parts[2] != "iam" {
        return bad("the service must be iam");
    }
    if !parts[3].is_empty() {
        return bad("IAM ARNs have no region");
    }
    if parts[4].len() != 12 || !parts[4].bytes().all(|b| b.is_ascii_digit()) {
        return bad("the account must be 12 digits");
    }
    let Some(path_name) = parts[5].strip_prefix("role/") else {
        return bad("the resource must be role/NAME");
    };
    let name = path_name.rsplit('/').next().unwrap_or("");
    let valid = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    if name.is_empty() || name.len() > 64 || !name.chars().all(valid) {
        return bad("the role name must be 1-64 of A-Z a-z 0-9 +=,.@_-");
    }
    Ok(s.trim().to_string())
}

/// Every `--profile` must exist in the shared config or credentials file (the files
/// `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` name, else `~/.aws/config` and
/// `~/.aws/credentials`), as the AWS CLI requires.
pub async fn profiles(names: &[String]) -> Result<(), String> {
    if names.is_empty() {
        return Ok(());
    }
    let set = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        &aws_types::os_shim_internal::Env::real(),
        &aws_runtime::env_config::file::EnvConfigFiles::default(),
        None::<Cow<'static, str>>,
    )
    .await
    .map_err(|e| format!("cannot read the AWS config files: {e}"))?;
    let known: Vec<&str> = set.profiles().collect();
    for n in names {
        if set.get_profile(n).is_none() {
            let listed = if known.is_empty() {
                "none is defined".to_string()
            } else {
                let mut k = known.clone();
                k.sort_unstable();
                format!("defined: {}", k.join(", "))
            };
            return Err(format!(
                "profile {n:?} is not in the AWS config or credentials file ({listed})"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls() {
        assert!(endpoint_url("http://127.0.0.1:5000").is_ok());
        assert!(endpoint_url("https://ec2.us-east-1.amazonaws.com").is_ok());
        let e = endpoint_url("not a url").unwrap_err();
        assert!(e.starts_with("\"not a url\" is not a URL"), "{e}");
        assert!(endpoint_url("ftp://host")
            .unwrap_err()
            .contains("http or https"));
        assert!(endpoint_url("http://h/?a=1")
            .unwrap_err()
            .contains("no query"));
    }

    #[test]
    fn role_arns() {
        assert!(role_arn("arn:aws:iam::123456789012:role/audit").is_ok());
        assert!(role_arn("arn:aws-us-gov:iam::123456789012:role/path/to/Audit.Role").is_ok());
        for (bad, why) in [
            ("audit", "six"),
            ("arn:aws:iam::12345:role/x", "12 digits"),
            ("arn:aws:iam:us-east-1:123456789012:role/x", "no region"),
            ("arn:aws:sts::123456789012:role/x", "iam"),
            ("arn:aws:iam::123456789012:user/x", "role/NAME"),
            ("arn:aws:iam::123456789012:role/", "1-64"),
            ("arn:aws:iam::123456789012:role/a b", "1-64"),
            ("arn:moon:iam::123456789012:role/x", "partition"),
        ] {
            let e = role_arn(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
