//! Per-address limits shared by every listener: connection slots and failed logins.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failed logins are counted per address over this window.
const FAILURE_WINDOW: Duration = Duration::from_secs(600);

#[derive(Default, Clone)]
pub struct Limits {
    connections: Arc<Mutex<HashMap<IpAddr, usize>>>,
    failures: Arc<Mutex<HashMap<IpAddr, (u32, Instant)>>>,
}

/// Releases its connection slot when dropped.
pub struct Slot {
    limits: Limits,
    ip: IpAddr,
}

impl Limits {
    /// A connection slot for `ip`, or `None` when it already holds `max`.
    pub fn acquire(&self, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut counts = self.connections.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            limits: self.clone(),
            ip,
        })
    }

    /// Records a failed login from `ip`.
    pub fn record_failure(&self, ip: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        map.retain(|_, (_, since)| now.duration_since(*since) < FAILURE_WINDOW);
        let entry = map.entry(ip).or_insert((0, now));
        entry.0 += 1;
    }

    /// Whether `ip` used up its failed-login budget for the current window.
    pub fn blocked(&self, ip: IpAddr, budget: u32) -> bool {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&ip).is_some_and(|(n, since)| {
            *n >= budget && Instant::now().duration_since(*since) < FAILURE_WINDOW
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self
            .limits
            .connections
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_and_failures() {
        let l = Limits::default();
        let ip: IpAddr = [127, 0, 0, 1].into();
        let a = l.acquire(ip, 2);
        let b = l.acquire(ip, 2);
        assert!(a.is_some() && b.is_some());
        assert!(l.acquire(ip, 2).is_none());
        drop(a);
        assert!(l.acquire(ip, 2).is_some());
        assert!(!l.blocked(ip, 2));
        l.record_failure(ip);
        l.record_failure(ip);
        assert!(l.blocked(ip, 2));
    }
}
