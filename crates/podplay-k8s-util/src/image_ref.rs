//! Image references as the kubelet and the runtime name them: docker's `reference.ParseNormalizedNamed`
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_normalisation() {
        assert_eq!(normalize("busybox"), "docker.io/library/busybox:latest");
        assert_eq!(normalize("busybox:1.28"), "docker.io/library/busybox:1.28");
        assert_eq!(normalize("sun2010wg/my-nginx:v2"), "docker.io/sun2010wg/my-nginx:v2");
        assert_eq!(normalize("registry.k8s.io/liveness"), "registry.k8s.io/liveness:latest");
        assert_eq!(normalize("localhost:5000/app"), "localhost:5000/app:latest");
    }
}
