//! The foundation: small pieces every layer above uses, which know nothing of
//! sites, documents or pages.

pub mod attachment;
pub mod dates;
pub mod diagnostic;
pub mod slug;
pub mod suggest;
