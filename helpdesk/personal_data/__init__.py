"""A customer's personal data: the export of everything we hold about them, and its erasure."""
