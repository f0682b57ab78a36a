"""The email channel: IMAP intake, parsing, loop safety, threading and SMTP replies.

Wire data only: this package turns mail into values and values into mail. It knows nothing of
intents, flows or tickets (see docs/email.md).
"""
