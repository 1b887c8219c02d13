//! The foundation: small pieces every layer above uses, which know nothing of
//! sites, documents or pages.

pub(crate) mod attachment;
pub(crate) mod collate;
pub(crate) mod colour;
pub(crate) mod dates;
pub(crate) mod diagnostic;
pub(crate) mod eight;
pub(crate) mod seal;
pub(crate) mod slug;
pub(crate) mod suggest;
