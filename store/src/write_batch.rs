//! Group commit for the IMAP writers on SQLite (STORE, APPEND), as `DeliveryBatcher` does for
//! deliveries: the writes waiting at the same moment share one transaction, so one WAL fsync,
//! instead of queuing for the single SQLite writer one fsync each.
//!
//! Each write runs under its own SAVEPOINT, so one that fails (or a STORE that changed nothing,
//! whose MODSEQ must not stay) is undone alone; each keeps its own MODSEQ, as if run by itself
//! in the order taken. Callers are answered only after the commit: nothing is acknowledged
//! before it is durable (DESIGN §5).

use std::sync::{Arc, Weak};

use sqlx::AnyConnection;
use tokio::sync::{mpsc, oneshot};

use crate::StoreError;
use crate::blob::BlobId;
use crate::db::{Db, Inner};
use crate::flags::{FlagMode, Flags};
use crate::message::{Appended, append_in_tx};
use crate::message_ops::{FlagsStored, store_flags_in_tx};
use crate::notify::Change;
use crate::uidset::UidSet;

/// Writes taken in one transaction at most.
const MAX_BATCH: usize = 64;

pub(crate) enum WriteOp {
    Store {
        mailbox_id: i64,
        uids: UidSet,
        mode: FlagMode,
        flags: Flags,
        unchanged_since: Option<u64>,
        viewer: String,
        reply: oneshot::Sender<Result<FlagsStored, StoreError>>,
    },
    Append {
        mailbox_id: i64,
        blob: BlobId,
        size: u64,
        flags: Flags,
        internal_date: i64,
        viewer: String,
        reply: oneshot::Sender<Result<Appended, StoreError>>,
    },
}

/// A write done inside the batch, waiting for the commit to be answered.
enum Done {
    Store(
        oneshot::Sender<Result<FlagsStored, StoreError>>,
        Result<FlagsStored, StoreError>,
    ),
    Append(
        oneshot::Sender<Result<Appended, StoreError>>,
        Result<Appended, StoreError>,
    ),
}

impl Done {
    /// Answers the caller; `failed` replaces a success when the commit failed.
    fn answer(self, failed: Option<&str>) {
        let err = |e: &str| StoreError::Invalid(format!("write not committed: {e}"));
        match self {
            Done::Store(reply, r) => {
                let _ = reply.send(match (failed, r) {
                    (Some(e), Ok(_)) => Err(err(e)),
                    (_, r) => r,
                });
            }
            Done::Append(reply, r) => {
                let _ = reply.send(match (failed, r) {
                    (Some(e), Ok(_)) => Err(err(e)),
                    (_, r) => r,
                });
            }
        }
    }
}

/// The sending side, started on first use (the task ends when the last `Db` clone is dropped).
pub(crate) fn sender(db: &Db) -> &mpsc::UnboundedSender<WriteOp> {
    db.inner_ref().write_batch.get_or_init(|| {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(Arc::downgrade(db.inner_arc()), rx));
        tx
    })
}

async fn run(inner: Weak<Inner>, mut rx: mpsc::UnboundedReceiver<WriteOp>) {
    while let Some(first) = rx.recv().await {
        let mut ops = vec![first];
        while ops.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(op) => ops.push(op),
                Err(_) => break,
            }
        }
        let Some(inner) = inner.upgrade() else {
            break;
        };
        let db = Db::from_inner(inner);
        db.run_batch(ops).await;
    }
}

async fn savepoint(tx: &mut AnyConnection, sql: &'static str) -> Result<(), StoreError> {
    sqlx::query(sql).execute(&mut *tx).await?;
    Ok(())
}

impl Db {
    async fn run_batch(&self, ops: Vec<WriteOp>) {
        let _turn = self.write_turn().await;
        let mut tx = match self.begin_write().await {
            Ok(tx) => tx,
            Err(e) => {
                let e = e.to_string();
                for op in ops {
                    fail(op, &e);
                }
                return;
            }
        };
        let mut done = Vec::with_capacity(ops.len());
        let mut changes: Vec<Change> = Vec::new();
        let mut broken: Option<String> = None;
        let mut ops = ops.into_iter();
        // A write alone in its batch needs no SAVEPOINT: when it fails or changes nothing the
        // whole transaction is rolled back below (`changes` stays empty). Two round trips to
        // the connection's thread fewer for the common case of a lone STORE.
        let alone = ops.len() == 1;
        for op in ops.by_ref() {
            if !alone && let Err(e) = savepoint(&mut tx, "SAVEPOINT imap_write").await {
                broken = Some(e.to_string());
                fail(op, &e.to_string());
                break;
            }
            let (keep, d) = match op {
                WriteOp::Store {
                    mailbox_id,
                    uids,
                    mode,
                    flags,
                    unchanged_since,
                    viewer,
                    reply,
                } => {
                    let r = store_flags_in_tx(
                        &mut tx,
                        mailbox_id,
                        &uids,
                        mode,
                        &flags,
                        unchanged_since,
                        &viewer,
                    )
                    .await;
                    match r {
                        Ok((out, Some(c))) => {
                            changes.push(c);
                            (true, Done::Store(reply, Ok(out)))
                        }
                        Ok((out, None)) => (false, Done::Store(reply, Ok(out))),
                        Err(e) => (false, Done::Store(reply, Err(e))),
                    }
                }
                WriteOp::Append {
                    mailbox_id,
                    blob,
                    size,
                    flags,
                    internal_date,
                    viewer,
                    reply,
                } => {
                    let r = append_in_tx(
                        &mut tx,
                        mailbox_id,
                        &blob,
                        size,
                        &flags,
                        internal_date,
                        &viewer,
                    )
                    .await;
                    match r {
                        Ok((out, c)) => {
                            changes.push(c);
                            (true, Done::Append(reply, Ok(out)))
                        }
                        Err(e) => (false, Done::Append(reply, Err(e))),
                    }
                }
            };
            let end = if alone {
                Ok(())
            } else if keep {
                savepoint(&mut tx, "RELEASE imap_write").await
            } else {
                match savepoint(&mut tx, "ROLLBACK TO imap_write").await {
                    Ok(()) => savepoint(&mut tx, "RELEASE imap_write").await,
                    Err(e) => Err(e),
                }
            };
            done.push(d);
            if let Err(e) = end {
                broken = Some(e.to_string());
                break;
            }
        }
        if let Some(e) = broken {
            let _ = tx.rollback().await;
            for op in ops {
                fail(op, &e);
            }
            for d in done {
                d.answer(Some(&e));
            }
            return;
        }
        let failed = if changes.is_empty() {
            tx.rollback().await.err().map(|e| e.to_string())
        } else {
            self.commit_and_publish(tx, &changes)
                .await
                .err()
                .map(|e| e.to_string())
        };
        for d in done {
            d.answer(failed.as_deref());
        }
    }

    pub(crate) async fn batched_store(
        &self,
        mailbox_id: i64,
        uids: &UidSet,
        mode: FlagMode,
        flags: &Flags,
        unchanged_since: Option<u64>,
        viewer: String,
    ) -> Result<FlagsStored, StoreError> {
        let (reply, answer) = oneshot::channel();
        sender(self)
            .send(WriteOp::Store {
                mailbox_id,
                uids: uids.clone(),
                mode,
                flags: flags.clone(),
                unchanged_since,
                viewer,
                reply,
            })
            .map_err(|_| StoreError::BatcherStopped)?;
        answer.await.map_err(|_| StoreError::BatcherStopped)?
    }

    pub(crate) async fn batched_append(
        &self,
        mailbox_id: i64,
        blob: &BlobId,
        size: u64,
        flags: &Flags,
        internal_date: i64,
        viewer: String,
    ) -> Result<Appended, StoreError> {
        let (reply, answer) = oneshot::channel();
        sender(self)
            .send(WriteOp::Append {
                mailbox_id,
                blob: blob.clone(),
                size,
                flags: flags.clone(),
                internal_date,
                viewer,
                reply,
            })
            .map_err(|_| StoreError::BatcherStopped)?;
        answer.await.map_err(|_| StoreError::BatcherStopped)?
    }
}

fn fail(op: WriteOp, e: &str) {
    let err = StoreError::Invalid(format!("write not done: {e}"));
    match op {
        WriteOp::Store { reply, .. } => {
            let _ = reply.send(Err(err));
        }
        WriteOp::Append { reply, .. } => {
            let _ = reply.send(Err(err));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{BlobId, Db, FlagMode, Flags, StoreError, UidSet};

    /// Writes that land in the same batch keep their own outcome: a STORE that changes nothing
    /// leaves no MODSEQ behind, one on a missing mailbox fails alone, the others commit.
    #[tokio::test]
    async fn a_batch_keeps_each_write_apart() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let db = Db::connect(&url).await.unwrap();
        let a = "a@medecin.mssante.example";
        let mbox = db.ensure_default_mailboxes(a).await.unwrap()[0].id;
        let seen = Flags::parse(&["\\Seen"]).unwrap();
        let blob = |i: u32| BlobId::of(format!("m{i}").as_bytes());
        db.append(mbox, &blob(0), 5, &seen, 0, a).await.unwrap(); // uid 1, modseq 2
        let one = UidSet::from_uids(&[1]);
        let flagged = Flags::parse(&["\\Flagged"]).unwrap();
        let b1 = blob(1);
        let none = Flags::new();
        let (noop, missing, app, flag) = tokio::join!(
            db.store_flags(mbox, &one, FlagMode::Add, &seen, None, a),
            db.store_flags(mbox + 1000, &one, FlagMode::Add, &seen, None, a),
            db.append(mbox, &b1, 5, &none, 0, a),
            db.store_flags(mbox, &one, FlagMode::Add, &flagged, None, a),
        );
        assert!(noop.unwrap().updated.is_empty());
        assert!(matches!(missing, Err(StoreError::MailboxNotFound(_))));
        assert_eq!(app.unwrap().uid, 2);
        assert_eq!(flag.unwrap().updated.len(), 1);
        let st = db.mailbox_status(mbox, a).await.unwrap();
        // modseq 2 (first append), then one each for the append and the effective STORE.
        assert_eq!((st.exists, st.highestmodseq), (2, 4));
        let m = db.fetch_messages(mbox, &one, a).await.unwrap();
        assert!(m[0].modseq > 2 && m[0].modseq <= st.highestmodseq);
        assert!(m[0].flags.contains(&crate::Flag::Flagged));
    }
}
