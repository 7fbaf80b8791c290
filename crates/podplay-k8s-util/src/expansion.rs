//! Kubernetes' `$(VAR)` expansion of command, args and env values
//! (`third_party/forked/golang/expansion/expand.go`, used by the kubelet).

/// `$(VAR)` expansion as the kubelet does for command, args and env values
/// (`third_party/forked/golang/expansion`, `MappingFuncFor`): `$$` escapes, unknown references
/// stay as written.
pub fn expand(input: &str, env: &[(String, String)]) -> String {
    expand_with(input, |name| match env.iter().rev().find(|(k, _)| k == name) {
        Some((_, v)) => v.clone(),
        None => format!("$({name})"),
    })
}

/// `expansion.Expand` with its `mapping`: what each `$(NAME)` becomes.
pub fn expand_with(input: &str, mut mapping: impl FnMut(&str) -> String) -> String {
    let bytes = input.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && i + 1 < bytes.len() {
            match bytes[i + 1] {
                b'$' => {
                    out.push('$');
                    i += 2;
                    continue;
                }
                b'(' => {
                    if let Some(end) = input[i + 2..].find(')') {
                        let name = &input[i + 2..i + 2 + end];
                        out.push_str(&mapping(name));
                        i += 3 + end;
                        continue;
                    }
                }
                _ => {}
            }
        }
        let ch = input[i..].chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_expansion() {
        let env = vec![("A".to_string(), "x".to_string())];
        assert_eq!(expand("$(A)-$(B)-$$(A)-$", &env), "x-$(B)-$(A)-$");
        assert_eq!(expand("plain é", &env), "plain é");
    }
}
