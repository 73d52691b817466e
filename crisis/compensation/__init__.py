"""Compensation for customers hit by an incident: `services` (proposing, proposing for every
linked ticket, deciding in bulk), `handover` (overdue decisions go to the next manager),
`emails` (the customer's and the manager's messages) and `forms`. The transitions of one
proposal are on crisis.models.CompensationProposal; the pages are crisis.views.compensation
and crisis.views.approvals.
"""
