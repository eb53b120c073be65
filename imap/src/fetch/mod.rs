//! FETCH data items (ENVELOPE, BODYSTRUCTURE, BODY[section]<partial>) from raw message bytes.
