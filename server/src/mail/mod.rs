//! Email to the panel and to respondents who ask for it, through the organisation's own
//! SMTP relay: what a message says ([`compose`]), and the worker that sends the durable
//! queue at a steady rate ([`worker`]).

pub mod compose;
pub mod invitations;
pub mod status;
pub mod worker;

pub use worker::{MailSettings, SmtpUrl};
