"""The customer's answer to the agent's problem summary: "this is right" or "this needs correcting"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from helpdesk.models.timeline import Channel, TicketEntry


class TicketSummaryMixin:
    """Transitions of `Ticket.summary_state` made by the customer (mixed into Ticket)."""

    def confirm_summary(self) -> TicketEntry | None:
        """The customer says the summary is right; a repeated confirmation changes nothing."""
        from helpdesk.models.ticket import InvalidTransition, SummaryState

        if not self.summary:
            raise InvalidTransition(_("There is no summary to confirm yet."))
        if self.summary_state == SummaryState.CONFIRMED:
            return None
        self.summary_state = SummaryState.CONFIRMED
        self.save(update_fields=["summary_state", "updated_at"])
        return self.record_event(TicketEntry.Event.SUMMARY_CONFIRMED)

    def correct_summary(self, text: str) -> TicketEntry:
        """The customer says what is wrong: their words join the timeline as their message."""
        from helpdesk.models.ticket import InvalidTransition, SummaryState

        text = (text or "").strip()
        if not self.summary:
            raise InvalidTransition(_("There is no summary to correct yet."))
        if not text:
            raise InvalidTransition(_("Please tell us what needs correcting."))
        self.summary_state = SummaryState.CORRECTED
        self.save(update_fields=["summary_state", "updated_at"])
        self.record_event(TicketEntry.Event.SUMMARY_CORRECTED)
        return self.receive_customer_message(
            body=text, channel=Channel.WEB, data={"summary_correction": True}
        )
