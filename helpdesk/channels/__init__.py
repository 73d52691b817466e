"""Intake channels, one small adapter each, all converging on helpdesk.intake.receive.

The email channel lives with the rest of email, in helpdesk.mail.inbound.
"""
