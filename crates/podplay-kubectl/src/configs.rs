//! kubectl's views of ConfigMaps and Secrets: the API server's table (`printConfigMap`: NAME
//! DATA AGE; `printSecret`: NAME TYPE DATA AGE) and kubectl's `ConfigMapDescriber` and
//! `SecretDescriber` (values of a ConfigMap, only sizes of a Secret, no events for a Secret).

use podplay_core::engine::config_data_len;
use podplay_core::model::{ConfigMap, Event, Secret};
use podplay_core::version::Release;
use podplay_core::Millis;

use crate::describe::{describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter};
use crate::printers::{age_since, TableOptions};

pub fn config_maps_table(items: &[&ConfigMap], now: Millis, ns_column: bool, opts: &TableOptions) -> String {
    let headers: Vec<&str> = if ns_column { vec!["NAMESPACE", "NAME", "DATA", "AGE"] } else { vec!["NAME", "DATA", "AGE"] };
    let rows = items
        .iter()
        .map(|cm| {
            let mut cells = if ns_column { vec![cm.metadata.namespace().to_string()] } else { vec![] };
            cells.extend([cm.metadata.name.clone(), cm.data_count().to_string(), age_since(now, cm.metadata.creation)]);
            cells
        })
        .collect();
    let labels: Vec<_> = items.iter().map(|cm| &cm.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

pub fn secrets_table(items: &[&Secret], now: Millis, ns_column: bool, opts: &TableOptions) -> String {
    let headers: Vec<&str> = if ns_column { vec!["NAMESPACE", "NAME", "TYPE", "DATA", "AGE"] } else { vec!["NAME", "TYPE", "DATA", "AGE"] };
    let rows = items
        .iter()
        .map(|s| {
            let mut cells = if ns_column { vec![s.metadata.namespace().to_string()] } else { vec![] };
            let kind = s.type_.clone().unwrap_or_default();
            cells.extend([s.metadata.name.clone(), kind, s.data.len().to_string(), age_since(now, s.metadata.creation)]);
            cells
        })
        .collect();
    let labels: Vec<_> = items.iter().map(|s| &s.metadata.labels).collect();
    opts.render(&headers, rows, &labels)
}

/// `ConfigMapDescriber`: keys sorted (kubectl sorts them from 1.34; before, Go's map order,
/// which no output can be faithful to, so podplay sorts for every release).
pub fn describe_config_map(cm: &ConfigMap, events: &[&Event], now: Millis, release: &Release) -> String {
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", cm.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", cm.metadata.namespace()));
    print_labels_multiline(&mut w, "Labels", &cm.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &cm.metadata.annotations);
    w.write(0, "\nData\n====\n");
    for (k, v) in &cm.data {
        w.write_fmt_at(0, format_args!("{k}:\n----\n"));
        w.write_fmt_at(0, format_args!("{v}\n"));
        if release.describe_configmap_blank_line {
            w.write(0, "\n");
        }
    }
    w.write(0, "\nBinaryData\n====\n");
    for (k, v) in &cm.binary_data {
        w.write_fmt_at(0, format_args!("{k}: {} bytes\n", config_data_len(v)));
    }
    w.write(0, "\n");
    describe_events(&mut w, events, now, release);
    w.finish()
}

/// `describeSecret`: the type, then each key's size in bytes (never the value).
pub fn describe_secret(s: &Secret) -> String {
    let mut w = PrefixWriter::new();
    w.write_fmt_at(0, format_args!("Name:\t{}\n", s.metadata.name));
    w.write_fmt_at(0, format_args!("Namespace:\t{}\n", s.metadata.namespace()));
    print_labels_multiline(&mut w, "Labels", &s.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &s.metadata.annotations);
    w.write_fmt_at(0, format_args!("\nType:\t{}\n", s.type_.as_deref().unwrap_or_default()));
    w.write(0, "\nData\n====\n");
    for (k, v) in &s.data {
        w.write_fmt_at(0, format_args!("{k}:\t{} bytes\n", config_data_len(v)));
    }
    w.finish()
}

/// Which `kubectl create` generator: `configmap` or `secret generic`, with the words its
/// errors use (create_configmap.go and create_secret.go word them differently).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Generator {
    ConfigMap,
    Secret,
}

impl Generator {
    fn command(self) -> &'static str {
        match self {
            Generator::ConfigMap => "kubectl create configmap",
            Generator::Secret => "kubectl create secret generic",
        }
    }
}

/// What `kubectl create configmap|secret generic` was given.
struct GeneratorArgs {
    name: String,
    literals: Vec<String>,
    files: Vec<String>,
    secret_type: Option<String>,
}

/// `kubectl create configmap NAME --from-literal=KEY=VALUE...` (create_configmap.go).
pub(crate) fn create_config_map(engine: &mut podplay_core::Engine, args: &[&str], namespace: &str) -> crate::Output {
    let given = match generator_args(Generator::ConfigMap, args) {
        Ok(g) => g,
        Err(e) => return crate::Output::err(e),
    };
    let mut cm = ConfigMap::default();
    cm.metadata.name = given.name.clone();
    cm.metadata.namespace = Some(namespace.to_string());
    // validateNewConfigMap
    let refuse = |key: &str, errors: &[String]| {
        let quoted = podplay_k8s_util::gofmt::quote(key);
        if !errors.is_empty() {
            return format!("error: {quoted} is not a valid key name for a ConfigMap: {}\n", errors.join(","));
        }
        let name = podplay_k8s_util::gofmt::quote(&given.name);
        format!("error: cannot add key {quoted}, another key by that name already exists in Data for ConfigMap {name}\n")
    };
    cm.data = match literal_pairs(&given.literals, refuse) {
        Ok(data) => data,
        Err(e) => return crate::Output::err(e),
    };
    match engine.create_config_map(cm) {
        Ok(()) => crate::Output::ok(format!("configmap/{} created\n", given.name)),
        Err(e) => crate::Output::err(format!("error: failed to create configmap: {}\n", podplay_core::engine::ops::op_error_text(&e))),
    }
}

/// `kubectl create secret generic NAME --from-literal=KEY=VALUE... [--type=TYPE]`
/// (create_secret.go); the other kinds of `create secret` need files podplay has not.
pub(crate) fn create_secret(engine: &mut podplay_core::Engine, args: &[&str], namespace: &str) -> crate::Output {
    match args.first() {
        Some(&"generic") => {}
        Some(kind @ (&"tls" | &"docker-registry")) => {
            return crate::Output::err(format!(
                "error: podplay creates generic secrets only (a {kind} secret is made from files or a registry's credentials): kubectl create secret generic NAME --from-literal=KEY=VALUE, or a Secret manifest\n"
            ))
        }
        _ => return crate::Output::err("error: unknown command: kubectl create secret needs docker-registry, generic or tls\nSee 'kubectl create secret -h' for help and examples\n".into()),
    }
    let given = match generator_args(Generator::Secret, &args[1..]) {
        Ok(g) => g,
        Err(e) => return crate::Output::err(e),
    };
    let mut secret = Secret::default();
    secret.metadata.name = given.name.clone();
    secret.metadata.namespace = Some(namespace.to_string());
    secret.type_ = given.secret_type.clone();
    // addKeyFromLiteralToSecret
    let refuse = |key: &str, errors: &[String]| {
        if errors.is_empty() {
            return format!("error: cannot add key {key}, another key by that name already exists\n");
        }
        format!("error: {} is not valid key name for a Secret {}\n", podplay_k8s_util::gofmt::quote(key), errors.join(";"))
    };
    // The API server merges stringData into data (base64) on create.
    secret.string_data = match literal_pairs(&given.literals, refuse) {
        Ok(data) => data,
        Err(e) => return crate::Output::err(e),
    };
    match engine.create_secret(secret) {
        Ok(()) => crate::Output::ok(format!("secret/{} created\n", given.name)),
        Err(e) => crate::Output::err(format!("error: failed to create secret {}\n", podplay_core::engine::ops::op_error_text(&e))),
    }
}

/// The generator's flags and its one NAME (`NameFromCommandArgs`); a file source is read from
/// the machine kubectl runs on, which in podplay holds no files.
fn generator_args(generator: Generator, args: &[&str]) -> Result<GeneratorArgs, String> {
    let mut given = GeneratorArgs { name: String::new(), literals: Vec::new(), files: Vec::new(), secret_type: None };
    let mut names = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let word = args[i];
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (word, None),
        };
        let mut value = || -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            args.get(i)
                .map(|s| s.to_string())
                .ok_or_else(|| format!("error: flag needs an argument: {flag}\nSee '{} -h' for help and examples\n", generator.command()))
        };
        match flag {
            "--from-literal" => given.literals.push(value()?),
            "--from-file" | "--from-env-file" => given.files.push(value()?),
            "--type" if generator == Generator::Secret => given.secret_type = Some(value()?),
            f if f.starts_with('-') => return Err(crate::unknown_flag(&generator.command()["kubectl ".len()..], word)),
            _ => names.push(word.to_string()),
        }
        i += 1;
    }
    if names.len() != 1 {
        return Err(format!(
            "error: exactly one NAME is required, got {}\nSee '{} -h' for help and examples\n",
            names.len(),
            generator.command()
        ));
    }
    given.name = names.remove(0);
    if let Some(file) = given.files.first() {
        // `[key=]source`: the path after the key.
        let path = file.split_once('=').map_or(file.as_str(), |(_, p)| p);
        return Err(format!("error: error reading {path}: no such file or directory\n"));
    }
    Ok(given)
}

/// The literal sources as keys and values, in order; a key `IsConfigMapKey` refuses, or one
/// given twice (no errors), ends it with `refuse(key, its errors)`, the generator's own words.
fn literal_pairs(
    literals: &[String],
    refuse: impl Fn(&str, &[String]) -> String,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut pairs = std::collections::BTreeMap::new();
    for source in literals {
        let (key, value) = literal_source(source)?;
        let errors = podplay_core::engine::config_key_errors(&key);
        if !errors.is_empty() || pairs.contains_key(&key) {
            return Err(refuse(&key, &errors));
        }
        pairs.insert(key, value);
    }
    Ok(pairs)
}

/// `util.ParseLiteralSource`: KEY=VALUE split at the first `=`, the value as given.
fn literal_source(source: &str) -> Result<(String, String), String> {
    match source.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(format!("error: invalid literal source {source}, expected key=value\n")),
    }
}
