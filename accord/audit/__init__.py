"""Append-only, hash-chained audit trail. Import `record` from `accord.audit.services`."""
