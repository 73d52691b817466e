"""The links to a ticket's status page: one row per link we sent or showed, holding its hash.

A customer may hold several working links (the acknowledgement, a reply, "email me my links",
a printed slip); each is drawn when it is sent, so sending links again never breaks the older
ones. "Send me a new link" deletes them all and draws one.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class StatusLink(models.Model):
    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="status_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"{self.ticket_id} · {self.token_hash[:8]}"
