//! Explanation codes: why a flow stops or what vpcreach had to assume. They live in the code
//! catalogue ([`crate::catalogue`]), with their documentation (`vpcreach explain CODE`); this
//! path stays for the engine's modules. To add a code, add an entry to a family file of
//! `src/catalogue/`.

pub use crate::catalogue::Code;
