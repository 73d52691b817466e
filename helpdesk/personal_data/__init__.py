"""A customer's personal data: the export of everything we hold about them, its erasure, how long
each kind is kept, who looked at it, and what the customer asked for."""
