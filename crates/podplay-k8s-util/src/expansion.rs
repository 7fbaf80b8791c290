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

    /// expand_test.go's `doExpansionTest` table over `TestMapping`'s context.
    #[test]
    fn upstream_expansion_cases() {
        let env: Vec<(String, String)> = [("VAR_A", "A"), ("VAR_B", "B"), ("VAR_C", "C"), ("VAR_REF", "$(VAR_A)"), ("VAR_EMPTY", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let cases = [
            ("whole string", "$(VAR_A)", "A"),
            ("repeat", "$(VAR_A)-$(VAR_A)", "A-A"),
            ("beginning", "$(VAR_A)-1", "A-1"),
            ("middle", "___$(VAR_B)___", "___B___"),
            ("end", "___$(VAR_C)", "___C"),
            ("compound", "$(VAR_A)_$(VAR_B)_$(VAR_C)", "A_B_C"),
            ("escape & expand", "$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A"),
            ("compound escape", "$$(VAR_A)_$$(VAR_B)", "$(VAR_A)_$(VAR_B)"),
            ("mixed in escapes", "f000-$$VAR_A", "f000-$VAR_A"),
            ("backslash escape ignored", "foo\\$(VAR_C)bar", "foo\\Cbar"),
            ("backslash escape ignored", "foo\\\\$(VAR_C)bar", "foo\\\\Cbar"),
            ("lots of backslashes", "foo\\\\\\\\$(VAR_A)bar", "foo\\\\\\\\Abar"),
            ("nested var references", "$(VAR_A$(VAR_B))", "$(VAR_A$(VAR_B))"),
            ("nested var references second type", "$(VAR_A$(VAR_B)", "$(VAR_A$(VAR_B)"),
            ("value is a reference", "$(VAR_REF)", "$(VAR_A)"),
            ("value is a reference x 2", "%%$(VAR_REF)--$(VAR_REF)%%", "%%$(VAR_A)--$(VAR_A)%%"),
            ("empty var", "foo$(VAR_EMPTY)bar", "foobar"),
            ("unterminated expression", "foo$(VAR_Awhoops!", "foo$(VAR_Awhoops!"),
            ("expression without operator", "f00__(VAR_A)__", "f00__(VAR_A)__"),
            ("shell special vars pass through", "$?_boo_$!", "$?_boo_$!"),
            ("bare operators are ignored", "$VAR_A", "$VAR_A"),
            ("undefined vars are passed through", "$(VAR_DNE)", "$(VAR_DNE)"),
            ("multiple (even) operators, var undefined", "$$$$$$(BIG_MONEY)", "$$$(BIG_MONEY)"),
            ("multiple (even) operators, var defined", "$$$$$$(VAR_A)", "$$$(VAR_A)"),
            ("multiple (odd) operators, var undefined", "$$$$$$$(GOOD_ODDS)", "$$$$(GOOD_ODDS)"),
            ("multiple (odd) operators, var defined", "$$$$$$$(VAR_A)", "$$$A"),
            ("missing open expression", "$VAR_A)", "$VAR_A)"),
            ("shell syntax ignored", "${VAR_A}", "${VAR_A}"),
            ("trailing incomplete expression not consumed", "$(VAR_B)_______$(A", "B_______$(A"),
            ("trailing incomplete expression, no content, is not consumed", "$(VAR_C)_______$(", "C_______$("),
            ("operator at end of input string is preserved", "$(VAR_A)foobarzab$", "Afoobarzab$"),
            ("shell escaped incomplete expr", "foo-\\$(VAR_A", "foo-\\$(VAR_A"),
            ("lots of $( in middle", "--$($($($($--", "--$($($($($--"),
            ("lots of $( in beginning", "$($($($($--foo$(", "$($($($($--foo$("),
            ("lots of $( at end", "foo0--$($($($(", "foo0--$($($($("),
            ("escaped operators in variable names are not escaped", "$(foo$$var)", "$(foo$$var)"),
            ("newline not expanded", "\n", "\n"),
        ];
        for (name, input, expected) in cases {
            assert_eq!(expand(input, &env), expected, "{name}");
        }
    }

    #[test]
    fn var_expansion() {
        let env = vec![("A".to_string(), "x".to_string())];
        assert_eq!(expand("$(A)-$(B)-$$(A)-$", &env), "x-$(B)-$(A)-$");
        assert_eq!(expand("plain é", &env), "plain é");
    }
}
