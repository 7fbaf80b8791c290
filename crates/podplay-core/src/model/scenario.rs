//! podplay's own `podplay.dev/v1alpha1` `Scenario`: the release to reproduce and a timeline of
//! commands, as a lesson would script them.

use serde::{Deserialize, Deserializer, Serialize};

use super::meta::ObjectMeta;
use crate::clock::{parse_duration, Millis};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Scenario {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: ScenarioSpec,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ScenarioSpec {
    /// `"1.22"`, `"1.36"`, ...; default: the newest release the engine knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    /// A sentence or two for the page: what to watch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Seed for the jitter the kubelet applies to its resync periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default)]
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    #[serde(deserialize_with = "de_duration")]
    pub at: Millis,
    pub run: String,
    /// Inline manifest for `kubectl apply -f -` style steps: YAML text (`manifest: |`), or the
    /// object written as a mapping under the key, which is kept as its YAML text.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "de_manifest")]
    pub manifest: Option<String>,
}

/// A step's `manifest`: a string, or a mapping (one object, or a `List`) turned into its YAML.
fn de_manifest<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the objects as YAML text (`manifest: |`) or one object as a mapping")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let value = serde_yaml::Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            serde_yaml::to_string(&value).map(Some).map_err(serde::de::Error::custom)
        }
    }
    d.deserialize_any(Visitor)
}

/// A virtual duration: `90s`, `2m`, `500ms`, or a number of seconds.
pub(crate) fn de_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Millis, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Millis;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a duration such as 90s, 2m or 500ms, or a number of seconds")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Millis, E> {
            Ok(v.saturating_mul(1000))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Millis, E> {
            parse_duration(v).map_err(E::custom)
        }
    }
    d.deserialize_any(Visitor)
}
