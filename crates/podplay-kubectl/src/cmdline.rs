//! Command lines as kubectl receives them: words split as a POSIX shell splits simple words,
//! and the namespace flag, which every verb takes anywhere on the line.

/// Splits a command line as a POSIX shell would for simple words: quotes, backslashes, spaces.
pub fn split_command_line(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Strips `-n NS` / `--namespace NS` / `--namespace=NS` from anywhere in the arguments.
pub fn take_namespace<'a>(args: &[&'a str]) -> (Vec<&'a str>, String) {
    let mut out = Vec::new();
    let mut ns = "default".to_string();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--" => {
                out.extend_from_slice(&args[i..]);
                break;
            }
            "-n" | "--namespace" if i + 1 < args.len() => {
                ns = args[i + 1].to_string();
                i += 2;
                continue;
            }
            s if s.starts_with("--namespace=") => ns = s["--namespace=".len()..].to_string(),
            s => out.push(s),
        }
        i += 1;
    }
    (out, ns)
}

/// kubectl's persistent flags may come before the command (`kubectl -n web get pods`, cobra
/// parses them anywhere): the namespace flags written before the verb, moved after it, where
/// every command reads them. Other arguments keep their order.
pub fn hoist_namespace(args: &[String]) -> Vec<String> {
    let mut leading = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-n" | "--namespace" if i + 1 < args.len() => {
                leading.extend_from_slice(&args[i..i + 2]);
                i += 2;
            }
            s if s.starts_with("--namespace=") || (s.starts_with("-n") && s.len() > 2 && !s.starts_with("--")) => {
                leading.push(args[i].clone());
                i += 1;
            }
            _ => break,
        }
    }
    match args.get(i) {
        Some(verb) if !leading.is_empty() => {
            let leading =
                leading.into_iter().map(|a| match a.strip_prefix("-n").filter(|rest| !rest.starts_with('-') && !rest.is_empty()) {
                    // `-nweb`: pflag's shorthand with its value attached.
                    Some(rest) => format!("--namespace={}", rest.trim_start_matches('=')),
                    None => a,
                });
            std::iter::once(verb.clone()).chain(leading).chain(args[i + 1..].iter().cloned()).collect()
        }
        _ => args.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn namespace_flags_before_the_verb_move_after_it() {
        assert_eq!(hoist_namespace(&words("-n web get pods")), words("get -n web pods"));
        assert_eq!(hoist_namespace(&words("--namespace=web describe pod x")), words("describe --namespace=web pod x"));
        assert_eq!(hoist_namespace(&words("-nweb get pods")), words("get --namespace=web pods"));
        assert_eq!(hoist_namespace(&words("get pods -n web")), words("get pods -n web"));
        assert_eq!(hoist_namespace(&words("-n web")), words("-n web"));
    }
    #[test]
    fn splitting() {
        assert_eq!(
            split_command_line(r#"kubectl exec p -- sh -c 'echo "123" > /x'"#).unwrap(),
            vec!["kubectl", "exec", "p", "--", "sh", "-c", "echo \"123\" > /x"]
        );
        assert_eq!(split_command_line("a \"b c\" d\\ e").unwrap(), vec!["a", "b c", "d e"]);
        assert!(split_command_line("'open").is_err());
    }
}
