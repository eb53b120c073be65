//! SEARCH keys, SORT (RFC 5256) and THREAD=REFERENCES over message views.
