"""What feedback holds about a customer, for their export and their erasure (helpdesk.hooks).

Theme memberships stay through an erasure (how many complained, of what): they refer to the
person by key only. A theme titled after the person's complaint is retitled, and what a manager
wrote when moving the person's complaints to another theme is removed.
"""

from __future__ import annotations

from feedback.models import Survey, Theme, ThemeEvent


def erase(customer) -> dict[str, int]:
    return {
        "survey comments": Survey.objects.filter(customer=customer).erase_personal_data(),
        "theme titles": Theme.objects.erase_titles_taken_from(customer.tickets.all()),
        "theme change notes": ThemeEvent.objects.erase_notes_about(customer.tickets.all()),
    }


def erase_request(ticket) -> dict[str, int]:
    """One closed request anonymised by the retention policy: its survey's comment, and a theme
    titled after its subject."""
    return {
        "survey comments": Survey.objects.filter(ticket=ticket).erase_personal_data(),
        "theme titles": Theme.objects.erase_titles_taken_from(type(ticket).objects.filter(pk=ticket.pk)),
        "theme change notes": ThemeEvent.objects.erase_notes_about(type(ticket).objects.filter(pk=ticket.pk)),
    }


def export(customer) -> list:
    from helpdesk.hooks import PersonalDataSection

    surveys = Survey.objects.filter(customer=customer).select_related("ticket").order_by("created_at", "pk")
    return [
        PersonalDataSection(
            "surveys",
            [
                {
                    "request": survey.ticket.reference,
                    "status": survey.status,
                    "sent_at": survey.sent_at,
                    "answered_at": survey.answered_at,
                    "rating": survey.rating,
                    "problem_solved": survey.solved,
                    "compensation_received": survey.compensation_received,
                    "comment": survey.comment,
                }
                for survey in surveys
            ],
        )
    ]
