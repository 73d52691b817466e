class InvalidTransition(Exception):
    """A state change that the ticket's current state does not allow."""
