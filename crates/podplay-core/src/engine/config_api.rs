//! The API server's side of `v1` ConfigMap and Secret: validation in its words, Secret's
//! `stringData` merged into `data` and `type` defaulted on create, lookup and deletion.
//! The kubelet's use of them (env, volumes) is `config_use.rs`.

use super::field::{FieldError, InvalidObject};
use super::ops::OpError;
use super::Engine;
use crate::model::{ConfigMap, Secret};

/// `validation.IsConfigMapKey`'s message (apimachinery's `configMapKeyErrMsg`).
const CONFIG_KEY_MESSAGE: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

impl Engine {
    pub(crate) fn add_config_map(&mut self, mut cm: ConfigMap) -> Result<(), OpError> {
        let namespace = cm.metadata.namespace().to_string();
        if self.find_config_map(&cm.metadata.name, &namespace).is_some() {
            return Err(OpError::AlreadyExists { resource: "configmaps", name: cm.metadata.name });
        }
        let mut problems = name_problems(&cm.metadata.name);
        problems.extend(key_problems("data", cm.data.keys()));
        problems.extend(key_problems("binaryData", cm.binary_data.keys()));
        for (key, value) in &cm.binary_data {
            // binaryData is []byte: the JSON decoder refuses bad base64 before validation runs.
            if let Err(at) = decode_base64(value) {
                return Err(cannot_decode("ConfigMap", at, key));
            }
        }
        InvalidObject::check("ConfigMap", &cm.metadata.name, problems).map_err(OpError::InvalidObject)?;
        cm.api_version = "v1".into();
        cm.kind = "ConfigMap".into();
        cm.metadata.namespace = Some(namespace);
        cm.metadata.uid = self.random_uid();
        cm.metadata.creation = self.now;
        cm.metadata.resource_version = self.bump_object_version();
        self.config_maps.push(cm);
        Ok(())
    }

    pub(crate) fn add_secret(&mut self, mut secret: Secret) -> Result<(), OpError> {
        let namespace = secret.metadata.namespace().to_string();
        if self.find_secret(&secret.metadata.name, &namespace).is_some() {
            return Err(OpError::AlreadyExists { resource: "secrets", name: secret.metadata.name });
        }
        for (key, value) in &secret.data {
            if let Err(at) = decode_base64(value) {
                return Err(cannot_decode("Secret", at, key));
            }
        }
        // The internal conversion writes stringData over data (pkg/apis/core/v1/conversion.go).
        for (key, value) in std::mem::take(&mut secret.string_data) {
            secret.data.insert(key, encode_base64(value.as_bytes()));
        }
        let mut problems = name_problems(&secret.metadata.name);
        problems.extend(key_problems("data", secret.data.keys()));
        InvalidObject::check("Secret", &secret.metadata.name, problems).map_err(OpError::InvalidObject)?;
        secret.type_.get_or_insert_with(|| "Opaque".into());
        secret.api_version = "v1".into();
        secret.kind = "Secret".into();
        secret.metadata.namespace = Some(namespace);
        secret.metadata.uid = self.random_uid();
        secret.metadata.creation = self.now;
        secret.metadata.resource_version = self.bump_object_version();
        self.secrets.push(secret);
        Ok(())
    }

    pub fn find_config_map(&self, name: &str, namespace: &str) -> Option<&ConfigMap> {
        self.config_maps.iter().find(|c| c.metadata.name == name && c.metadata.namespace() == namespace)
    }

    pub fn find_secret(&self, name: &str, namespace: &str) -> Option<&Secret> {
        self.secrets.iter().find(|s| s.metadata.name == name && s.metadata.namespace() == namespace)
    }

    pub fn config_maps(&self) -> &[ConfigMap] {
        &self.config_maps
    }

    pub fn secrets(&self) -> &[Secret] {
        &self.secrets
    }

    /// `kubectl create configmap`: the API server's create.
    pub fn create_config_map(&mut self, cm: ConfigMap) -> Result<(), OpError> {
        self.add_config_map(cm)?;
        self.outside_changes += 1;
        Ok(())
    }

    /// `kubectl create secret generic`: the API server's create.
    pub fn create_secret(&mut self, secret: Secret) -> Result<(), OpError> {
        self.add_secret(secret)?;
        self.outside_changes += 1;
        Ok(())
    }

    /// `kubectl delete configmap NAME`.
    pub fn delete_config_map_named(&mut self, namespace: &str, name: &str) -> Result<(), OpError> {
        let i = self.config_maps.iter().position(|c| c.metadata.name == name && c.metadata.namespace() == namespace);
        let i = i.ok_or_else(|| OpError::NotFound { resource: "configmaps", name: name.to_string() })?;
        self.config_maps.remove(i);
        self.bump_object_version();
        self.outside_changes += 1;
        Ok(())
    }

    /// `kubectl delete secret NAME`.
    pub fn delete_secret_named(&mut self, namespace: &str, name: &str) -> Result<(), OpError> {
        let i = self.secrets.iter().position(|s| s.metadata.name == name && s.metadata.namespace() == namespace);
        let i = i.ok_or_else(|| OpError::NotFound { resource: "secrets", name: name.to_string() })?;
        self.secrets.remove(i);
        self.bump_object_version();
        self.outside_changes += 1;
        Ok(())
    }
}

impl Engine {
    /// The API server's update of a ConfigMap (`ValidateConfigMapUpdate`): `data`,
    /// `binaryData` and `immutable` may not change once `immutable` is set; the keys are
    /// validated as on create. Whether anything changed. Pods that mount it see the new data at
    /// their kubelet's next sync (`config_use.rs`, `remount_volumes`); their environment keeps
    /// what it was given at each container's start.
    pub(crate) fn update_config_map(&mut self, desired: ConfigMap) -> Result<bool, OpError> {
        let name = desired.metadata.name.clone();
        let namespace = desired.metadata.namespace().to_string();
        let i = self
            .config_maps
            .iter()
            .position(|c| c.metadata.name == name && c.metadata.namespace() == namespace)
            .ok_or_else(|| OpError::NotFound { resource: "configmaps", name: name.clone() })?;
        let live = &self.config_maps[i];
        let mut problems = Vec::new();
        if live.immutable == Some(true) {
            let set = "Forbidden: field is immutable when `immutable` is set";
            if desired.immutable != Some(true) {
                problems.push(FieldError::at_key("immutable", set));
            }
            if desired.data != live.data {
                problems.push(FieldError::at_key("data", set));
            }
            if desired.binary_data != live.binary_data {
                problems.push(FieldError::at_key("binaryData", set));
            }
        }
        problems.extend(key_problems("data", desired.data.keys()));
        problems.extend(key_problems("binaryData", desired.binary_data.keys()));
        for (key, value) in &desired.binary_data {
            if let Err(at) = decode_base64(value) {
                return Err(cannot_decode("ConfigMap", at, key));
            }
        }
        InvalidObject::check("ConfigMap", &name, problems).map_err(OpError::InvalidObject)?;
        let data_changed = desired.data != live.data || desired.binary_data != live.binary_data || desired.immutable != live.immutable;
        let meta_changed = desired.metadata.labels != live.metadata.labels || desired.metadata.annotations != live.metadata.annotations;
        if !data_changed && !meta_changed {
            return Ok(false);
        }
        let version = self.bump_object_version();
        let cm = &mut self.config_maps[i];
        cm.data = desired.data;
        cm.binary_data = desired.binary_data;
        cm.immutable = desired.immutable;
        cm.metadata.labels = desired.metadata.labels;
        cm.metadata.annotations = desired.metadata.annotations;
        cm.metadata.resource_version = version;
        self.outside_changes += 1;
        Ok(true)
    }

    /// The API server's update of a Secret (`ValidateSecretUpdate`): `stringData` written over
    /// `data` as on create, `type` immutable, `data` and `immutable` fixed once `immutable` is
    /// set. Whether anything changed. Mounted, it reaches its pods' files as a ConfigMap does.
    pub(crate) fn update_secret(&mut self, mut desired: Secret) -> Result<bool, OpError> {
        let name = desired.metadata.name.clone();
        let namespace = desired.metadata.namespace().to_string();
        let i = self
            .secrets
            .iter()
            .position(|c| c.metadata.name == name && c.metadata.namespace() == namespace)
            .ok_or_else(|| OpError::NotFound { resource: "secrets", name: name.clone() })?;
        for (key, value) in &desired.data {
            if let Err(at) = decode_base64(value) {
                return Err(cannot_decode("Secret", at, key));
            }
        }
        for (key, value) in std::mem::take(&mut desired.string_data) {
            desired.data.insert(key, encode_base64(value.as_bytes()));
        }
        desired.type_.get_or_insert_with(|| "Opaque".into());
        let live = &self.secrets[i];
        let mut problems = Vec::new();
        if desired.type_ != live.type_ {
            let value = podplay_k8s_util::gofmt::quote(desired.type_.as_deref().unwrap_or_default());
            problems.push(FieldError::at_value("type", format!("Invalid value: {value}: field is immutable")));
        }
        if live.immutable == Some(true) {
            let set = "Forbidden: field is immutable when `immutable` is set";
            if desired.immutable != Some(true) {
                problems.push(FieldError::at_key("immutable", set));
            }
            if desired.data != live.data {
                problems.push(FieldError::at_key("data", set));
            }
        }
        problems.extend(key_problems("data", desired.data.keys()));
        InvalidObject::check("Secret", &name, problems).map_err(OpError::InvalidObject)?;
        let data_changed = desired.data != live.data || desired.immutable != live.immutable;
        let meta_changed = desired.metadata.labels != live.metadata.labels || desired.metadata.annotations != live.metadata.annotations;
        if !data_changed && !meta_changed {
            return Ok(false);
        }
        let version = self.bump_object_version();
        let secret = &mut self.secrets[i];
        secret.data = desired.data;
        secret.immutable = desired.immutable;
        secret.metadata.labels = desired.metadata.labels;
        secret.metadata.annotations = desired.metadata.annotations;
        secret.metadata.resource_version = version;
        self.outside_changes += 1;
        Ok(true)
    }
}

/// `ValidateObjectMeta` of a ConfigMap's or Secret's name (`ValidateConfigMapName`,
/// `ValidateSecretName`: `NameIsDNSSubdomain`), before its keys as `ValidateConfigMap` and
/// `ValidateSecret` check them.
fn name_problems(name: &str) -> Vec<FieldError> {
    if name.is_empty() {
        // `Required value`, the loader's and kubectl's own check, comes first.
        return Vec::new();
    }
    super::field::dns1123_subdomain_errors(name)
        .into_iter()
        .map(|message| FieldError::at_value("metadata.name", format!("Invalid value: {}: {message}", podplay_k8s_util::gofmt::quote(name))))
        .collect()
}

/// `ValidateConfigMap`/`ValidateSecret`'s key check: `data[KEY]: Invalid value: "KEY": ...`,
/// one error for each of `IsConfigMapKey`'s messages.
fn key_problems<'a>(field: &str, keys: impl Iterator<Item = &'a String>) -> Vec<FieldError> {
    keys.flat_map(|k| {
        config_key_errors(k).into_iter().map(move |message| {
            FieldError::at_key(format!("{field}[{k}]"), format!("Invalid value: {}: {message}", podplay_k8s_util::gofmt::quote(k)))
        })
    })
    .collect()
}

/// `validation.IsConfigMapKey`: at most 253 characters of `[-._a-zA-Z0-9]`, not `.`, `..` or
/// starting with `..`; its messages, in its order (none for a valid key). kubectl's
/// `create configmap|secret` check keys with it too.
pub fn config_key_errors(key: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if key.len() > 253 {
        errors.push("must be no more than 253 characters".to_string());
    }
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        errors.push(CONFIG_KEY_MESSAGE.to_string());
    }
    // hasChDirPrefix
    match key {
        "." => errors.push("must not be '.'".into()),
        ".." => errors.push("must not be '..'".into()),
        k if k.starts_with("..") => errors.push("must not start with '..'".into()),
        _ => {}
    }
    errors
}

/// The API server's decoding error for a `[]byte` field (sigs.k8s.io/json, kube-apiserver
/// 1.23+; 1.22's json-iterator words it `v1.Secret.Data: decode base64: ...` with a context
/// podplay does not reproduce).
fn cannot_decode(kind: &str, at: usize, _key: &str) -> OpError {
    OpError::BadRequest(format!("{kind} in version \"v1\" cannot be handled as a {kind}: illegal base64 data at input byte {at}"))
}

/// The length of a `[]byte` field's value (a Secret's `data`, a ConfigMap's `binaryData`).
pub fn config_data_len(base64: &str) -> usize {
    decode_base64(base64).map_or(0, |b| b.len())
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Go's `base64.StdEncoding.EncodeToString`.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    encode_with(bytes, ALPHABET, true)
}

/// Go's `base64.RawURLEncoding.EncodeToString` (a JWT's parts).
pub(crate) fn encode_base64_url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_ALPHABET, false)
}

/// Written as bytes, not `char`s: every pod's service-account token is encoded, and a `char`
/// push costs a UTF-8 branch per letter.
fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    let letter = |n: u32, shift: u32| alphabet[(n >> shift) as usize & 63];
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        out.extend_from_slice(&[letter(n, 18), letter(n, 12), letter(n, 6), letter(n, 0)]);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let n = rest.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=rest.len() {
            out.push(letter(n, 18 - 6 * i as u32));
        }
        if pad {
            out.resize(out.len() + 3 - rest.len(), b'=');
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Go's `base64.StdEncoding.Decode`: `\r` and `\n` skipped, padding required; `Err` is the
/// input byte `CorruptInputError` names (an unknown character; a quantum cut short: its start).
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut quantum: Vec<(usize, u8)> = Vec::with_capacity(4);
    let mut padding = 0;
    for (i, c) in text.bytes().enumerate() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        if padding > 0 && c != b'=' {
            return Err(i);
        }
        if c == b'=' {
            if quantum.len() < 2 {
                return Err(i);
            }
            padding += 1;
            if quantum.len() + padding > 4 {
                return Err(i);
            }
            continue;
        }
        let v = ALPHABET.iter().position(|a| *a == c).ok_or(i)?;
        quantum.push((i, v as u8));
        if quantum.len() == 4 {
            push_quantum(&quantum, &mut out);
            quantum.clear();
        }
    }
    if quantum.is_empty() {
        return Ok(out);
    }
    if quantum.len() + padding != 4 {
        return Err(quantum[0].0);
    }
    push_quantum(&quantum, &mut out);
    Ok(out)
}

fn push_quantum(quantum: &[(usize, u8)], out: &mut Vec<u8>) {
    let n = quantum.iter().enumerate().fold(0u32, |acc, (i, (_, v))| acc | (u32::from(*v) << (18 - 6 * i)));
    for i in 0..quantum.len() - 1 {
        out.push((n >> (16 - 8 * i)) as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_reports_go_offsets() {
        assert_eq!(encode_base64(b"admin"), "YWRtaW4=");
        // RFC 4648 §10's vectors: every length of the last quantum.
        for (plain, coded) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(encode_base64(plain.as_bytes()), coded);
            assert_eq!(decode_base64(coded).unwrap(), plain.as_bytes());
            assert_eq!(encode_base64_url(plain.as_bytes()), coded.trim_end_matches('='));
        }
        assert_eq!(encode_base64_url(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode_base64("YWRtaW4=").unwrap(), b"admin");
        assert_eq!(decode_base64("MWYyZDFlMmU2N2Rm").unwrap(), b"1f2d1e2e67df");
        // kubernetes#31548: "billy" and "admin" at byte 4; "bill" decodes.
        assert_eq!(decode_base64("billy"), Err(4));
        assert_eq!(decode_base64("admin"), Err(4));
        assert!(decode_base64("bill").is_ok());
        // An unknown character is named where it is ("APIKEY_BASE64": byte 6).
        assert_eq!(decode_base64("APIKEY_BASE64"), Err(6));
    }

    /// apimachinery validation_test.go TestIsConfigMapKey, then the messages of each rule.
    #[test]
    fn config_keys_follow_is_config_map_key() {
        let success_cases = ["a", "good", "good-good", "still.good", "this.is.also.good", ".so.is.this", "THIS_IS_GOOD", "so_is_this_17"];
        for (i, key) in success_cases.iter().enumerate() {
            assert_eq!(config_key_errors(key), Vec::<String>::new(), "[{i}] expected success");
        }
        let failure_cases = [".", "..", "..bad", "b*d", "bad!&bad"];
        for (i, key) in failure_cases.iter().enumerate() {
            assert!(!config_key_errors(key).is_empty(), "[{i}] expected failure");
        }
        assert_eq!(config_key_errors("b*d"), vec![CONFIG_KEY_MESSAGE]);
        assert_eq!(config_key_errors(".."), vec!["must not be '..'"]);
        assert_eq!(config_key_errors("..a"), vec!["must not start with '..'"]);
        assert_eq!(config_key_errors("."), vec!["must not be '.'"]);
        assert_eq!(config_key_errors(&"a".repeat(254)), vec!["must be no more than 253 characters"]);
    }

    /// `ValidateConfigMap` and `ValidateSecret`: the name (`NameIsDNSSubdomain`) before the
    /// keys, as e2e's `newConfigMapWithEmptyKey` ("configmap-test-emptyKey-UUID") meets them.
    #[test]
    fn names_and_keys_are_validated_in_the_api_servers_order() {
        let m = crate::source::load(&[crate::source::SourceFile { name: "t.yaml".into(), text: String::new() }]).expect("empty");
        let mut e = Engine::new(&m).expect("an empty cluster");
        let cm: ConfigMap = serde_yaml::from_str(
            "metadata: {name: configmap-test-emptyKey-1}
data: {\"\": value-1}\n",
        )
        .unwrap();
        let err = e.create_config_map(cm).unwrap_err();
        let OpError::InvalidObject(invalid) = err else { panic!("invalid: {err:?}") };
        assert_eq!(
            invalid.to_string(),
            "The ConfigMap \"configmap-test-emptyKey-1\" is invalid: [metadata.name: Invalid value: \"configmap-test-emptyKey-1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), data[]: Invalid value: \"\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')]"
        );
        let secret: Secret = serde_yaml::from_str("metadata: {name: secret-emptykey-test-1}\ndata: {\"\": dmFsdWUtMQo=}\n").unwrap();
        let err = e.create_secret(secret).unwrap_err();
        let OpError::InvalidObject(invalid) = err else { panic!("invalid: {err:?}") };
        assert!(
            invalid.to_string().starts_with("The Secret \"secret-emptykey-test-1\" is invalid: data[]: Invalid value: \"\": "),
            "{invalid}"
        );
        assert!(e.config_maps().is_empty() && e.secrets().is_empty());
    }
}
