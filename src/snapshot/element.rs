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
            let mut message = err.inner().to_string();
            if let Some(pos) = message.rfind(" at line ") {
                message.truncate(pos);
            }
            Err((sub, message))
        }
    }
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
