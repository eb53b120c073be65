//! One file per command or small group of commands; each adds `handle_<command>` to `Session`.

pub mod auth;
pub mod data;
pub mod ehlo;
pub mod mail;
pub mod rcpt;

use crate::reply::Reply;

/// Turns a parser error into the reply RFC 5321 §4.2.4 asks for.
pub(crate) fn parse_error_reply(e: &smtp_proto::Error) -> Reply {
    use smtp_proto::Error as E;
    match e {
        E::UnknownCommand => Reply::new(500, [5, 5, 1], "Unrecognized command"),
        E::InvalidSenderAddress => Reply::new(501, [5, 1, 7], "Invalid sender address"),
        E::InvalidRecipientAddress => Reply::new(501, [5, 1, 3], "Invalid recipient address"),
        E::SyntaxError { syntax } => Reply::syntax(format!("Syntax: {syntax}")),
        E::InvalidParameter { param } => {
            Reply::new(501, [5, 5, 4], format!("Invalid parameter {param}"))
        }
        E::UnsupportedParameter { param } => {
            Reply::new(504, [5, 5, 4], format!("Unsupported parameter {param}"))
        }
        E::ResponseTooLong => Reply::new(500, [5, 5, 2], "Line too long"),
        E::NeedsMoreData { .. } | E::InvalidResponse { .. } => Reply::syntax("Syntax error"),
    }
}
