//! `dmp-bridge`: the DMP document store (DESIGN.md §7) and the bridge from mail and IHE XDM.
