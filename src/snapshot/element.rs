//! Reading one JSON element into an AWS shape, with the JSON pointer of whatever is wrong in it.

use crate::diag::pointer_token;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// Parse one element; on failure return the JSON pointer suffix inside the element and a message
/// without serde_json's line/column (which would be relative to the element, not the file).
pub(crate) fn parse_element<T: DeserializeOwned>(raw: &RawValue) -> Result<T, (String, String)> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
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
