//! Image references as the kubelet and the runtime name them, and the kubelet's refusal of one
//! that does not parse: docker's `reference.ParseNormalizedNamed`
//! followed by `reference.TagNameOnly` (github.com/distribution/reference `normalize.go`).

/// The kubelet's image reference normalisation for the node's image list
/// (`docker.io/library/` for official images, `:latest` when untagged).
pub fn normalize(image: &str) -> String {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    let tagged = if last.contains(':') || digest.is_some() { name.to_string() } else { format!("{name}:latest") };
    let first = tagged.split('/').next().unwrap_or("");
    let has_registry = tagged.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        tagged
    } else if tagged.contains('/') {
        format!("docker.io/{tagged}")
    } else {
        format!("docker.io/library/{tagged}")
    };
    match digest {
        Some(d) => format!("{full}@{d}"),
        None => full,
    }
}

/// Which texts the reference library of the kubelet's release gives (Kubernetes vendored
/// docker/distribution's `reference` to 1.28, distribution/reference v0.5 from 1.29,
/// kubernetes#120332).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceLibrary {
    /// `invalid reference format: repository name must be lowercase`.
    DockerDistribution,
    /// `invalid reference format: repository name (library/Nginx) must be lowercase`.
    DistributionReference,
}

/// Why `ParseNormalizedNamed` (distribution/reference `normalize.go`) refuses `s`, in its
/// error's text, or `None` when `s` is a valid reference. Docker Hub's short names are split
/// as docker/distribution's `splitDockerDomain` does: a first component is a registry only
/// with a `.` or a `:`, or as `localhost`.
pub fn parse_error(s: &str, library: ReferenceLibrary) -> Option<String> {
    if s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Some(format!("invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"));
    }
    let (domain, remainder) = split_docker_domain(s);
    let remote = remainder.split(':').next().unwrap_or(&remainder);
    if remote.to_lowercase() != remote {
        return Some(match library {
            ReferenceLibrary::DockerDistribution => "invalid reference format: repository name must be lowercase".into(),
            ReferenceLibrary::DistributionReference => format!("invalid reference format: repository name ({remote}) must be lowercase"),
        });
    }
    parse(&format!("{domain}/{remainder}"))
}

/// docker/distribution's `splitDockerDomain`: (registry, the rest), `library/` added to an
/// official image's name.
fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (first.to_string(), rest.to_string()),
        _ => ("docker.io".to_string(), name.to_string()),
    };
    if domain == "index.docker.io" {
        domain = "docker.io".into();
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    (domain, remainder)
}

/// `reference.Parse`'s refusals: the reference grammar (`regexp.go`), then the name's length.
fn parse(s: &str) -> Option<String> {
    let Some(name_len) = grammar_name_length(s) else {
        let lower = s.to_lowercase();
        let text = if lower != s && grammar_name_length(&lower).is_some() {
            "repository name must be lowercase"
        } else {
            "invalid reference format"
        };
        return Some(text.into());
    };
    (name_len > 255).then(|| "repository name must not be more than 255 characters".into())
}

/// The length of the repository path when `s` matches `ReferencePattern`
/// (`name(:tag)?(@digest)?`), else `None`.
fn grammar_name_length(s: &str) -> Option<usize> {
    let (named, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (s, None),
    };
    if digest.is_some_and(|d| !is_digest(d)) {
        return None;
    }
    let last_slash = named.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match named[last_slash..].rfind(':') {
        Some(i) => (&named[..last_slash + i], Some(&named[last_slash + i + 1..])),
        None => (named, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) {
        return None;
    }
    if is_remote_name(name) {
        return Some(name.len());
    }
    let (domain, path) = name.split_once('/')?;
    (is_domain(domain) && is_remote_name(path)).then_some(path.len())
}

/// `[\w][\w.-]{0,127}`.
fn is_tag(t: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = t.as_bytes();
    !bytes.is_empty() && bytes.len() <= 128 && word(bytes[0]) && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// Path components joined by `/`.
fn is_remote_name(name: &str) -> bool {
    name.split('/').all(is_path_component)
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn is_path_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = c.as_bytes();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut separator = String::new();
    for &b in bytes {
        if alnum(b) {
            if !(separator.is_empty() || matches!(separator.as_str(), "." | "_" | "__") || separator.bytes().all(|s| s == b'-')) {
                return false;
            }
            separator.clear();
        } else if matches!(b, b'.' | b'_' | b'-') {
            separator.push(b as char);
        } else {
            return false;
        }
    }
    true
}

/// A host (domain name components, or an IPv6 address in brackets) and an optional port.
fn is_domain(d: &str) -> bool {
    let (host, port) = match d.rfind(':') {
        Some(i) if !d[i..].contains(']') => (&d[..i], Some(&d[i + 1..])),
        _ => (d, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let ipv6 = host.len() > 2
        && host.starts_with('[')
        && host.ends_with(']')
        && host[1..host.len() - 1].bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
    ipv6 || host.split('.').all(is_domain_component)
}

/// `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`.
fn is_domain_component(c: &str) -> bool {
    let bytes = c.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`.
fn is_digest(d: &str) -> bool {
    let Some((algorithm, hex)) = d.split_once(':') else { return false };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
        let bytes = part.as_bytes();
        !bytes.is_empty() && bytes[0].is_ascii_alphabetic() && bytes.iter().all(u8::is_ascii_alphanumeric)
    });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_the_kubelet_refuses() {
        let old = |s: &str| parse_error(s, ReferenceLibrary::DockerDistribution);
        let new = |s: &str| parse_error(s, ReferenceLibrary::DistributionReference);
        for valid in [
            "nginx",
            "nginx:1.27",
            "nginx:Latest",
            "localhost:5000/app",
            "quay.io/org/a_b-c:v1",
            "busybox@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(old(valid), None, "{valid}");
        }
        assert_eq!(old("Nginx").as_deref(), Some("invalid reference format: repository name must be lowercase"));
        assert_eq!(new("Nginx").as_deref(), Some("invalid reference format: repository name (library/Nginx) must be lowercase"));
        assert_eq!(new("localhost:5000/App:v1").as_deref(), Some("invalid reference format: repository name (App) must be lowercase"));
        for bad in ["nginx:", "nginx:1.27 ", "my app", "nginx::1", "-nginx", "nginx@sha256:12", "a//b", ""] {
            assert_eq!(old(bad).as_deref(), Some("invalid reference format"), "{bad:?}");
        }
        let hex = "0123456789abcdef".repeat(4);
        assert_eq!(old(&hex), Some(format!("invalid repository name ({hex}), cannot specify 64-byte hexadecimal strings")));
        assert_eq!(old(&"a".repeat(300)).as_deref(), Some("repository name must not be more than 255 characters"));
    }

    #[test]
    fn image_normalisation() {
        assert_eq!(normalize("busybox"), "docker.io/library/busybox:latest");
        assert_eq!(normalize("busybox:1.28"), "docker.io/library/busybox:1.28");
        assert_eq!(normalize("sun2010wg/my-nginx:v2"), "docker.io/sun2010wg/my-nginx:v2");
        assert_eq!(normalize("registry.k8s.io/liveness"), "registry.k8s.io/liveness:latest");
        assert_eq!(normalize("localhost:5000/app"), "localhost:5000/app:latest");
    }
}
