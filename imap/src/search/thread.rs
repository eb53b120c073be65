//! THREAD=REFERENCES (RFC 5256 §4): the steps of the RFC, on an arena of containers.
//!
//! Message-IDs, References and In-Reply-To come from mail-parser's msg-id parser; the sent
//! date is the Date header (else the internal date); subjects are base subjects (§2.1).

use std::collections::HashMap;
use std::num::NonZeroU32;

use imap_codec::imap_types::core::{Vec1, Vec2};
use imap_codec::imap_types::extensions::thread::Thread;
use mail_parser::{HeaderName, HeaderValue, Message};

use super::base_subject::base_subject;
use super::text;
use crate::fetch::MessageView;
use crate::fetch::mime::{first, parse_headers};

/// Deepest branching we follow recursively; a hostile reply tree deeper than this is written
/// flat below that level (every message still appears), so the stack stays small.
const MAX_DEPTH: usize = 256;

struct Info {
    number: u32,
    seq: u32,
    date: i64,
    message_id: Option<String>,
    references: Vec<String>,
    subject: String,
    reply: bool,
}

#[derive(Default)]
struct Container {
    msg: Option<usize>,
    parent: Option<usize>,
    children: Vec<usize>,
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|id| !id.is_empty())
    .collect()
}

fn info(view: &MessageView<'_>, uid: bool) -> Info {
    let mut i = Info {
        number: if uid { view.meta.uid } else { view.seq },
        seq: view.seq,
        date: view.meta.internal_date,
        message_id: None,
        references: Vec::new(),
        subject: String::new(),
        reply: false,
    };
    let Some(msg): Option<Message<'_>> = parse_headers(view.raw) else {
        return i;
    };
    let headers = msg
        .parts
        .first()
        .map(|p| p.headers.as_slice())
        .unwrap_or(&[]);
    i.message_id =
        first(headers, &HeaderName::MessageId).and_then(|h| ids(&h.value).into_iter().next());
    i.references = first(headers, &HeaderName::References)
        .map(|h| ids(&h.value))
        .unwrap_or_default();
    if i.references.is_empty() {
        // §4 step 1: without References, the first msg-id of In-Reply-To.
        i.references = first(headers, &HeaderName::InReplyTo)
            .and_then(|h| ids(&h.value).into_iter().next())
            .into_iter()
            .collect();
    }
    if let Some(ts) = text::sent_timestamp(&msg) {
        i.date = ts;
    }
    let (subject, reply) = base_subject(&text::subject(&msg, view.raw));
    i.subject = subject;
    i.reply = reply;
    i
}

struct Arena {
    c: Vec<Container>,
    infos: Vec<Info>,
}

impl Arena {
    fn new_container(&mut self) -> usize {
        self.c.push(Container::default());
        self.c.len() - 1
    }

    /// Whether `x` is `y` or below it.
    fn is_under(&self, mut x: usize, y: usize) -> bool {
        for _ in 0..=self.c.len() {
            if x == y {
                return true;
            }
            match self.c[x].parent {
                Some(p) => x = p,
                None => return false,
            }
        }
        true
    }

    fn unlink(&mut self, child: usize) {
        if let Some(p) = self.c[child].parent.take() {
            self.c[p].children.retain(|&x| x != child);
        }
    }

    fn link(&mut self, parent: usize, child: usize) {
        self.unlink(child);
        self.c[child].parent = Some(parent);
        self.c[parent].children.push(child);
    }

    /// (date, seq) of a container: its message, or for a dummy its first child (§4 step 4).
    fn sort_key(&self, x: usize) -> (i64, u32) {
        match self.c[x].msg {
            Some(m) => (self.infos[m].date, self.infos[m].seq),
            None => self.c[x]
                .children
                .first()
                .map_or((i64::MAX, u32::MAX), |&ch| self.sort_key(ch)),
        }
    }

    /// Base subject and reply flag of a root (a dummy uses its first child).
    fn subject(&self, x: usize) -> Option<(&str, bool)> {
        match self.c[x].msg {
            Some(m) => Some((self.infos[m].subject.as_str(), self.infos[m].reply)),
            None => self.c[x].children.first().and_then(|&ch| self.subject(ch)),
        }
    }

    /// §4 step 3: drop empty dummies, promote the children of the others (at the root only
    /// when there is a single child).
    fn prune(&mut self, list: Vec<usize>, root: bool, depth: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(list.len());
        for x in list {
            let kids = std::mem::take(&mut self.c[x].children);
            let kids = if depth < MAX_DEPTH {
                self.prune(kids, false, depth + 1)
            } else {
                kids
            };
            self.c[x].children = kids.clone();
            if self.c[x].msg.is_some() || (root && kids.len() > 1) {
                out.push(x);
            } else {
                out.extend(kids);
            }
        }
        out
    }

    /// §4 step 6: sort every set of siblings by sent date, the deepest first.
    fn sort_tree(&mut self, list: &mut [usize], depth: usize) {
        for &x in list.iter() {
            let mut kids = std::mem::take(&mut self.c[x].children);
            if depth < MAX_DEPTH {
                self.sort_tree(&mut kids, depth + 1);
            }
            self.c[x].children = kids;
        }
        list.sort_by_key(|&x| self.sort_key(x));
    }

    /// All messages under `x` (included), in tree order, without recursion.
    fn flatten(&self, x: usize) -> Vec<NonZeroU32> {
        let mut out = Vec::new();
        let mut stack = vec![x];
        while let Some(y) = stack.pop() {
            if let Some(n) = self.c[y]
                .msg
                .and_then(|m| NonZeroU32::new(self.infos[m].number))
            {
                out.push(n);
            }
            stack.extend(self.c[y].children.iter().rev());
        }
        out
    }

    fn to_thread(&self, x: usize, depth: usize) -> Option<Thread> {
        if depth >= MAX_DEPTH {
            let prefix = Vec1::try_from(self.flatten(x)).ok()?;
            return Some(Thread::Members {
                prefix,
                answers: None,
            });
        }
        let Some(m) = self.c[x].msg else {
            let kids: Vec<Thread> = self.c[x]
                .children
                .iter()
                .filter_map(|&k| self.to_thread(k, depth + 1))
                .collect();
            return match kids.len() {
                0 => None,
                1 => kids.into_iter().next(),
                _ => Vec2::try_from(kids)
                    .ok()
                    .map(|answers| Thread::Nested { answers }),
            };
        };
        let mut prefix = vec![NonZeroU32::new(self.infos[m].number)?];
        let mut cur = x;
        while let [only] = self.c[cur].children[..] {
            let Some(om) = self.c[only].msg else { break };
            prefix.push(NonZeroU32::new(self.infos[om].number)?);
            cur = only;
        }
        let kids: Vec<Thread> = self.c[cur]
            .children
            .iter()
            .filter_map(|&k| self.to_thread(k, depth + 1))
            .collect();
        let prefix = Vec1::try_from(prefix).ok()?;
        Some(match kids.len() {
            0 => Thread::Members {
                prefix,
                answers: None,
            },
            1 => {
                // A lone dummy child cannot survive pruning; flatten defensively.
                let only = kids.into_iter().next()?;
                match only {
                    Thread::Members {
                        prefix: p2,
                        answers,
                    } => {
                        let mut all = prefix.into_inner();
                        all.extend(p2.into_inner());
                        Thread::Members {
                            prefix: Vec1::try_from(all).ok()?,
                            answers,
                        }
                    }
                    Thread::Nested { answers } => Thread::Members {
                        prefix,
                        answers: Some(answers),
                    },
                }
            }
            _ => Thread::Members {
                prefix,
                answers: Vec2::try_from(kids).ok(),
            },
        })
    }
}

pub(crate) fn references(views: &[MessageView<'_>], uid: bool) -> Vec<Thread> {
    let infos: Vec<Info> = views.iter().map(|v| info(v, uid)).collect();
    let mut a = Arena {
        c: Vec::with_capacity(infos.len() * 2),
        infos,
    };
    let mut table: HashMap<String, usize> = HashMap::new();

    // Step 1.
    for m in 0..a.infos.len() {
        let refs = a.infos[m].references.clone();
        let mut prev: Option<usize> = None;
        for r in &refs {
            let x = match table.get(r) {
                Some(&x) => x,
                None => {
                    let x = a.new_container();
                    table.insert(r.clone(), x);
                    x
                }
            };
            // 1A: link each reference to the previous one, unless already linked or a loop.
            if let Some(p) = prev
                && a.c[x].parent.is_none()
                && !a.is_under(p, x)
            {
                a.link(p, x);
            }
            prev = Some(x);
        }
        // 1B: this message's container (a duplicate or missing Message-ID gets its own).
        let own = match a.infos[m].message_id.clone() {
            Some(id) if table.get(&id).is_none_or(|&x| a.c[x].msg.is_none()) => {
                match table.get(&id) {
                    Some(&x) => x,
                    None => {
                        let x = a.new_container();
                        table.insert(id, x);
                        x
                    }
                }
            }
            _ => a.new_container(),
        };
        a.c[own].msg = Some(m);
        a.unlink(own);
        if let Some(last) = prev
            && !a.is_under(last, own)
        {
            a.link(last, own);
        }
    }

    // Step 2: the root set; step 3: prune.
    let roots: Vec<usize> = (0..a.c.len())
        .filter(|&x| a.c[x].parent.is_none())
        .collect();
    let mut roots = a.prune(roots, true, 0);
    for &r in &roots {
        a.c[r].parent = None;
    }
    // Step 4: sort the root set (dummies by their first child).
    a.sort_tree(&mut roots, 0);

    // Step 5: group the roots by base subject.
    let mut subjects: HashMap<String, usize> = HashMap::new();
    for &r in &roots {
        let Some((subj, reply)) = a.subject(r) else {
            continue;
        };
        if subj.is_empty() {
            continue;
        }
        let replace = match subjects.get(subj) {
            None => true,
            Some(&t) => {
                (a.c[r].msg.is_none() && a.c[t].msg.is_some())
                    || (a.c[t].msg.is_some()
                        && a.c[r].msg.is_some()
                        && a.subject(t).is_some_and(|(_, tr)| tr)
                        && !reply)
            }
        };
        if replace {
            subjects.insert(subj.to_string(), r);
        }
    }
    let mut removed = vec![false; a.c.len()];
    let snapshot = roots.clone();
    for r in snapshot {
        if removed.get(r).copied().unwrap_or(false) {
            continue;
        }
        let Some((subj, reply)) = a.subject(r).map(|(s, f)| (s.to_string(), f)) else {
            continue;
        };
        if subj.is_empty() {
            continue;
        }
        let Some(&t) = subjects.get(&subj) else {
            continue;
        };
        if t == r {
            continue;
        }
        let (r_dummy, t_dummy) = (a.c[r].msg.is_none(), a.c[t].msg.is_none());
        if r_dummy && t_dummy {
            for k in std::mem::take(&mut a.c[r].children) {
                a.c[k].parent = None;
                a.link(t, k);
            }
            removed[r] = true;
        } else if t_dummy {
            a.link(t, r);
            removed[r] = true;
        } else if r_dummy {
            a.link(r, t);
            removed[t] = true;
            subjects.insert(subj, r);
        } else if reply && !a.subject(t).is_some_and(|(_, tr)| tr) {
            a.link(t, r);
            removed[r] = true;
        } else {
            let d = a.new_container();
            removed.push(false);
            if let Some(pos) = roots.iter().position(|&x| x == t) {
                roots[pos] = d;
            }
            a.link(d, t);
            a.link(d, r);
            removed[r] = true;
            subjects.insert(subj, d);
        }
    }
    roots.retain(|&x| !removed.get(x).copied().unwrap_or(false));

    // Step 6: sort all siblings again, then write the threads.
    a.sort_tree(&mut roots, 0);
    roots.iter().filter_map(|&r| a.to_thread(r, 0)).collect()
}
