//! Every message of an account as one mbox file, the download offered before closing an account
//! (DESIGN §8). Format: "mboxrd" (the `From ` separator line, then the message with LF line ends,
//! every line matching `^>*From ` given one more `>`, and an empty line after each message), which
//! Thunderbird, mutt and `formail` read. Folders follow each other (Reçus, Envoyés, Archives,
//! Corbeille, then any other folder); inside a folder, oldest first.

use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::error::WebError;
use crate::state::AppState;

/// Messages read from the database at a time, so a large mailbox is streamed.
const CHUNK: u32 = 200;

/// Writes the mbox of `account` to `out`.
pub async fn write_mbox(
    state: &AppState,
    account: &str,
    out: &mut (impl AsyncWrite + Unpin),
) -> Result<(), WebError> {
    let mut mailboxes = state.db.list_mailboxes(account).await?;
    let order = |name: &str| match name {
        "INBOX" => 0,
        "Sent" => 1,
        "Archive" => 2,
        "Trash" => 3,
        _ => 4,
    };
    mailboxes.sort_by_key(|m| (order(&m.name), m.name.clone()));
    for mb in mailboxes {
        let uids = state.db.uids(mb.id).await?;
        for chunk in uids.chunks(CHUNK as usize) {
            let set = store::UidSet::from_uids(chunk);
            for meta in state.db.fetch_messages(mb.id, &set, account).await? {
                let raw = state.blobs.get(&meta.blob).await?;
                let mut entry = separator(&raw, meta.internal_date);
                entry.extend_from_slice(&quote_body(&raw));
                entry.push(b'\n');
                out.write_all(&entry).await.map_err(WebError::internal)?;
            }
        }
    }
    out.flush().await.map_err(WebError::internal)?;
    Ok(())
}

/// `From <sender> <asctime date>` (the envelope line of mbox, in UTC).
fn separator(raw: &[u8], internal_date: i64) -> Vec<u8> {
    let sender = mail_parser::MessageParser::new()
        .parse_headers(raw)
        .and_then(|m| {
            m.from()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .map(str::to_string)
        })
        .filter(|a| !a.is_empty() && !a.contains(char::is_whitespace))
        .unwrap_or_else(|| "MAILER-DAEMON".into());
    let date = time::OffsetDateTime::from_unix_timestamp(internal_date)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let fmt = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day padding:space] [hour]:[minute]:[second] [year]"
    );
    let date = date.format(&fmt).unwrap_or_default();
    format!("From {sender} {date}\n").into_bytes()
}

/// The message with LF line ends and mboxrd quoting of `From ` lines; ends with a newline.
fn quote_body(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + 64);
    for line in raw.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let quoted = line.iter().position(|&b| b != b'>').unwrap_or(line.len());
        if line[quoted..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    // `split` yields an empty last piece after a final newline: drop the extra one.
    if raw.ends_with(b"\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{quote_body, separator};

    #[test]
    fn mboxrd_quoting() {
        let raw = b"Subject: x\r\n\r\nFrom the start\r\n>From quoted\r\nnot From\r\n";
        let out = String::from_utf8(quote_body(raw)).expect("utf8");
        assert_eq!(
            out,
            "Subject: x\n\n>From the start\n>>From quoted\nnot From\n"
        );
        assert_eq!(quote_body(b"a"), b"a\n");
    }

    #[test]
    fn separator_line() {
        let line = separator(b"From: Dr A <a@x.example>\r\n\r\n", 1_772_532_000);
        assert_eq!(line, b"From a@x.example Tue Mar  3 10:00:00 2026\n");
        let line = separator(b"Subject: none\r\n\r\n", 0);
        assert_eq!(line, b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n");
    }
}
