"""Remote pollers: the centre's side (assignment, ingest, tokens) and the poller's side (source, spool, shipper).

The wire format is in PROTOCOL.md next to this file.
"""
