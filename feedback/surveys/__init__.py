"""Satisfaction surveys after a request is resolved: `scheduling` (the worker's scan: schedule,
send, remind once, and the follow-up of an incident), `emails` (the invitation, the reminder,
the note to the agent) and `compensation` (whether the survey asks about compensation).
"""
