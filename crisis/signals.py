"""Signals other apps listen to; crisis never imports them.

`incident_resolved(sender=Incident, incident=..., tickets=<queryset of linked tickets>)` is sent
after an incident is resolved and its final statement published (the feedback app sends the
affected customers a follow-up survey).
"""

from django.dispatch import Signal

incident_resolved = Signal()
