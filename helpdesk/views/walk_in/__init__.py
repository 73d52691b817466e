"""Walk-in pages: the front desk, the agent's desk and the lobby screen (no login)."""
