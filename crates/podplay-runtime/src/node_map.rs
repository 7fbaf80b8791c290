//! The nodes of one [`Tree`](crate::fs::Tree) by relative path, in path order.
//!
//! Most trees are tiny: a bind-mounted `/etc/hosts` is one file, a fresh container layer or an
//! empty volume is its root alone. A `BTreeMap` gives each of them a whole leaf (eleven slots
//! of path and node, 1.3 KB), which at ten thousand pods was the largest part of a pod's
//! runtime state. So a small tree is a sorted vector, and becomes a `BTreeMap` once it holds
//! more than [`SMALL_MAX`] nodes (an image's tree, a program writing many files), where a
//! vector's inserts would cost a shift each.

use std::collections::{btree_map, BTreeMap};

use crate::fs::Node;

/// The most nodes a tree holds as a sorted vector.
const SMALL_MAX: usize = 16;

#[derive(Clone, Debug)]
pub(crate) enum NodeMap {
    Small(Vec<(String, Node)>),
    Large(BTreeMap<String, Node>),
}

impl NodeMap {
    pub(crate) fn single(key: String, node: Node) -> Self {
        NodeMap::Small(vec![(key, node)])
    }

    fn position(small: &[(String, Node)], key: &str) -> Result<usize, usize> {
        small.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            NodeMap::Small(v) => v.len(),
            NodeMap::Large(m) => m.len(),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            NodeMap::Small(v) => Self::position(v, key).ok().map(|i| &v[i].1),
            NodeMap::Large(m) => m.get(key),
        }
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            NodeMap::Small(v) => Self::position(v, key).ok().map(|i| &mut v[i].1),
            NodeMap::Large(m) => m.get_mut(key),
        }
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Inserts or replaces; the node replaced, if any.
    pub(crate) fn insert(&mut self, key: String, node: Node) -> Option<Node> {
        match self {
            NodeMap::Small(v) => match Self::position(v, &key) {
                Ok(i) => Some(std::mem::replace(&mut v[i].1, node)),
                Err(i) if v.len() < SMALL_MAX => {
                    v.insert(i, (key, node));
                    None
                }
                Err(_) => {
                    let mut large: BTreeMap<String, Node> = podplay_k8s_util::sort::btree_map(std::mem::take(v));
                    large.insert(key, node);
                    *self = NodeMap::Large(large);
                    None
                }
            },
            NodeMap::Large(m) => m.insert(key, node),
        }
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<Node> {
        match self {
            NodeMap::Small(v) => Self::position(v, key).ok().map(|i| v.remove(i).1),
            NodeMap::Large(m) => m.remove(key),
        }
    }

    /// The nodes whose path is `start` or after it, in order.
    pub(crate) fn range_from<'a>(&'a self, start: &str) -> RangeFrom<'a> {
        match self {
            NodeMap::Small(v) => {
                let from = Self::position(v, start).unwrap_or_else(|i| i);
                RangeFrom::Small(v[from..].iter())
            }
            NodeMap::Large(m) => RangeFrom::Large(m.range::<str, _>((std::ops::Bound::Included(start), std::ops::Bound::Unbounded))),
        }
    }
}

pub(crate) enum RangeFrom<'a> {
    Small(std::slice::Iter<'a, (String, Node)>),
    Large(btree_map::Range<'a, String, Node>),
}

impl<'a> Iterator for RangeFrom<'a> {
    type Item = (&'a String, &'a Node);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            RangeFrom::Small(it) => it.next().map(|(k, n)| (k, n)),
            RangeFrom::Large(it) => it.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::NodeKind;

    fn file(text: &str) -> Node {
        Node { kind: NodeKind::File(text.as_bytes().to_vec()), mode: 0o644, mtime: 0, program: None, owner: crate::fs::Owner::ROOT }
    }

    fn keys(m: &NodeMap, from: &str) -> Vec<String> {
        m.range_from(from).map(|(k, _)| k.clone()).collect()
    }

    /// Small or large, the map answers alike: the same keys in the same order.
    #[test]
    fn a_small_map_grows_into_a_large_one_with_the_same_answers() {
        let mut m = NodeMap::single(String::new(), file("root"));
        let names: Vec<String> = (0..40).map(|i| format!("d/{:02}", (i * 7) % 40)).collect();
        for (i, name) in names.iter().enumerate() {
            assert!(m.insert(name.clone(), file(name)).is_none());
            assert_eq!(m.len(), i + 2);
            assert!(matches!(m, NodeMap::Small(_)) == (m.len() <= SMALL_MAX));
            let mut want: Vec<String> = names[..=i].to_vec();
            want.sort();
            assert_eq!(keys(&m, "d/"), want);
        }
        assert!(m.insert("d/05".into(), file("again")).is_some());
        assert_eq!(m.remove("d/05").map(|n| n.kind), Some(NodeKind::File(b"again".to_vec())));
        assert!(!m.contains_key("d/05") && m.contains_key("d/06") && m.get("").is_some());
        assert_eq!(keys(&m, "d/38"), vec!["d/38", "d/39"]);
    }

    #[test]
    fn small_map_inserts_in_order_and_ranges_from_any_key() {
        let mut m = NodeMap::single(String::new(), file(""));
        for k in ["etc/hosts", "etc", "a", "etc/z"] {
            m.insert(k.to_string(), file(k));
        }
        assert_eq!(keys(&m, ""), vec!["", "a", "etc", "etc/hosts", "etc/z"]);
        assert_eq!(keys(&m, "etc/"), vec!["etc/hosts", "etc/z"]);
        assert_eq!(keys(&m, "f"), Vec::<String>::new());
        m.get_mut("a").unwrap().mode = 0o600;
        assert_eq!(m.get("a").unwrap().mode, 0o600);
    }
}
