"""The agent's workspace on one ticket: the page, and one small view per action on it."""
