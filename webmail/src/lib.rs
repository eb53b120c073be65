//! `webmail`: the citizen web front (DESIGN.md §8), in French, over HTTPS.
