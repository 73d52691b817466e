"""Email, in and out.

In: `imap` fetches new mail, `inbound` turns one raw message into a ticket change (the email
channel), `parse` reads the bytes into plain facts, `text` decodes and folds the text, and
`automatic` recognises mail written by machines (auto-replies, bounces).
Out: `outbox` composes every message to a customer and writes it to the outbox, `delivery`
sends the outbox, and `link_secrets` keeps the stored copy of a sent message without its links.
"""
