//! Reading one JSON element into an AWS shape (objects strictly, [`super::strict`]), with the
//! JSON pointer of whatever is wrong in it.

use crate::diag::pointer_token;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// Parse one element; on failure return the JSON pointer suffix inside the element and a message
/// without serde_json's line/column (which would be relative to the element, not the file).
pub(crate) fn parse_element<T: DeserializeOwned>(raw: &RawValue) -> Result<T, (String, String)> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    match serde_path_to_error::deserialize::<_, T>(super::strict::Strict(&mut de)) {
        Ok(v) => Ok(v),
        Err(err) => {
            let mut sub = String::new();
            for seg in err.path().iter() {
                use serde_path_to_error::Segment;
                match seg {
                    Segment::Seq { index } => sub.push_str(&format!("/{index}")),
                    Segment::Map { key } => {
                        sub.push('/');
                        sub.push_str(&pointer_token(key));
                    }
                    Segment::Enum { variant } => {
                        sub.push('/');
                        sub.push_str(&pointer_token(variant));
                    }
                    Segment::Unknown => {}
                }
            }
            // A key twice in one object: serde reads one occurrence, serde_json::Value (and jq,
            // Python) keep the last, so an error inside the other would point at nothing those
            // tools show. The duplicate itself is the error, at its own pointer.
            if let Some((at, key)) = first_duplicate_key(raw.get()) {
                return Err((
                    at,
                    format!("duplicate key `{key}` in one object: JSON readers differ on which occurrence counts, so the element is not read"),
                ));
            }
            let mut message = err.inner().to_string();
            if let Some(pos) = message.rfind(" at line ") {
                message.truncate(pos);
            }
            Err((sub, message))
        }
    }
}

/// The pointer (inside the element) and name of the first key that appears twice in one
/// object of `json`, at any depth; `None` when every object's keys are distinct (or `json` is
/// not valid JSON).
fn first_duplicate_key(json: &str) -> Option<(String, String)> {
    use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use std::collections::HashSet;

    struct Dup<'a> {
        path: &'a mut Vec<String>,
        found: &'a mut Option<(String, String)>,
    }
    impl<'de> DeserializeSeed<'de> for Dup<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Dup<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let Dup { path, found } = self;
            let mut seen = HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                path.push(pointer_token(&key));
                if found.is_none() && !seen.insert(key.clone()) {
                    *found = Some((format!("/{}", path.join("/")), key));
                }
                map.next_value_seed(Dup {
                    path: &mut *path,
                    found: &mut *found,
                })?;
                path.pop();
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let Dup { path, found } = self;
            let mut i = 0usize;
            loop {
                path.push(i.to_string());
                let more = seq
                    .next_element_seed(Dup {
                        path: &mut *path,
                        found: &mut *found,
                    })?
                    .is_some();
                path.pop();
                if !more {
                    return Ok(());
                }
                i += 1;
            }
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }
    let mut path = Vec::new();
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(json);
    Dup {
        path: &mut path,
        found: &mut found,
    }
    .deserialize(&mut de)
    .ok()?;
    found
}

/// The top-level object of a file as its (key, raw value) pairs in document order, duplicate
/// keys kept: serde_json's own maps keep only the last of two equal keys, silently.
pub(crate) struct TopLevel<'a>(pub Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for TopLevel<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = TopLevel<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(TopLevel(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::first_duplicate_key;

    #[test]
    fn finds_the_first_key_twice_in_one_object_at_any_depth() {
        assert_eq!(
            first_duplicate_key(r#"{"a": 1, "b": [{"c": 1}, {"c": 2}]}"#),
            None
        );
        assert_eq!(
            first_duplicate_key(
                r#"{"a": 1, "b": [{"c": 1}, {"c": 2, "d/x": 0, "d/x": 1}], "a": 2}"#
            ),
            Some(("/b/1/d~1x".into(), "d/x".into()))
        );
        assert_eq!(
            first_duplicate_key(r#"{"IpPermissions": [], "IpPermissions": [{"x": 1}]}"#),
            Some(("/IpPermissions".into(), "IpPermissions".into()))
        );
    }
}
