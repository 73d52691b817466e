"""Who may open what: every URL pattern of the project, for each kind of visitor.

The patterns come from the resolver, not from a hand list: a new URL without an entry in
ACCESS (or, for the admin, a new model without an entry in ADMIN_ACCESS) fails the first test.
Each persona then requests every URL of the seeded demo site (GET, or POST for the views that
only take POST, each request rolled back) and the answers are compared with what the URL's
access level promises that persona.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.long]

PERSONAS = ["anonymous", "customer", "agent", "manager", "staff_in_no_group", "superuser"]

# Access levels and the answer each persona gets. "ok" reaches the view (whatever it then says
# of the empty form or the object's state); "login" is a redirect to the staff sign-in page.
PUBLIC = "public"  # anyone
LINK = "link"  # anyone holding the link's token; the token opens only its own object
AGENT = "agent"
MANAGER = "manager"
FAQ_EDITOR = "faq editor"  # an agent holding helpdesk.change_faqentry (managers do)
API = "api"  # a bearer token of an API integration, never a session
ADMIN = "admin"  # the admin site's own pages: managers and superusers
# The admin's model pages: who may view, and who may add, change or delete there.
SUPERUSERS, MANAGERS, NOBODY = "superusers", "managers", "nobody"

EXPECTED = {
    PUBLIC: dict.fromkeys(PERSONAS, "ok"),
    LINK: dict.fromkeys(PERSONAS, "ok"),
    AGENT: {
        "anonymous": "login",
        "customer": "login",
        "agent": "ok",
        "manager": "ok",
        "staff_in_no_group": "forbidden",
        "superuser": "ok",
    },
    MANAGER: {
        "anonymous": "login",
        "customer": "login",
        "agent": "forbidden",
        "manager": "ok",
        "staff_in_no_group": "forbidden",
        "superuser": "ok",
    },
    API: dict.fromkeys(PERSONAS, "unauthorized"),
    ADMIN: {
        "anonymous": "admin login",
        "customer": "admin login",
        "agent": "admin login",
        "manager": "ok",
        "staff_in_no_group": "admin login",
        "superuser": "ok",
    },
}
EXPECTED[FAQ_EDITOR] = EXPECTED[MANAGER]


def admin_model_answers(allowed: str) -> dict[str, str]:
    """What each persona gets on an admin model page that `allowed` may open."""
    answers = dict(EXPECTED[ADMIN])
    answers["manager"] = "ok" if allowed == MANAGERS else "forbidden"
    answers["superuser"] = "forbidden" if allowed == NOBODY else "ok"
    return answers


@dataclass(frozen=True)
class Access:
    level: str
    method: str = "get"
    # Which demo object the URL's arguments name: a key of Site.arguments.
    target: str = ""
    data: dict | None = None
    # Where the answer differs from the level's for a reason of the URL's own (said beside it).
    answers: dict | None = None


GET, POST = "get", "post"
NOT_THE_OWNERS = {"agent": "not found", "superuser": "not found"}
# Only the agent at the visitor's desk may call them again, finish or give up on them; the demo
# visitor waits at nobody's desk, so everyone else gets 404 as for a visitor they cannot see.
AT_SOMEONE_ELSES_DESK = {"agent": "not found", "manager": "not found", "superuser": "not found"}

ACCESS: dict[str, Access] = {
    # The public site
    "home": Access(PUBLIC),
    "healthz": Access(PUBLIC),
    "favicon": Access(PUBLIC),
    "set_language": Access(PUBLIC, POST),
    "login": Access(PUBLIC),
    "logout": Access(PUBLIC, POST),
    # A password link that is not one of ours says so; only the link's owner can use a real one.
    "password_reset_confirm": Access(PUBLIC, target="password link"),
    "password_reset_complete": Access(PUBLIC),
    "helpdesk:ticket-new": Access(PUBLIC),
    "helpdesk:status-lookup": Access(PUBLIC),
    "helpdesk:status-links": Access(PUBLIC, POST),
    "helpdesk:status-new-link-sent": Access(PUBLIC),
    "helpdesk:faq": Access(PUBLIC),
    "helpdesk:faq-entry": Access(PUBLIC, target="faq entry"),
    "helpdesk:faq-vote": Access(PUBLIC, POST, "faq entry", data={"helpful": "yes"}),
    "helpdesk:contact": Access(PUBLIC),
    "helpdesk:chat-start": Access(PUBLIC),
    "helpdesk:lobby": Access(PUBLIC, target="branch"),
    "helpdesk:lobby-board": Access(PUBLIC, target="branch"),
    "crisis:report": Access(PUBLIC, target="incident"),
    "crisis:subscribe": Access(PUBLIC, POST, "incident"),
    "api:openapi-json": Access(PUBLIC),
    "api:openapi-view": Access(PUBLIC),
    # django-ninja's root lists nothing: every visitor gets 404.
    "api:api-root": Access(PUBLIC, answers=dict.fromkeys(PERSONAS, "not found")),
    # What a link in a customer's email or slip opens
    "helpdesk:ticket-new-done": Access(LINK, target="status link"),
    "helpdesk:status": Access(LINK, target="status link"),
    "helpdesk:status-live": Access(LINK, target="status link"),
    "helpdesk:status-reply": Access(LINK, POST, "status link"),
    "helpdesk:status-close": Access(LINK, POST, "status link"),
    "helpdesk:status-new-link": Access(LINK, POST, "status link"),
    "helpdesk:status-summary-confirm": Access(LINK, POST, "status link"),
    "helpdesk:status-summary-correct": Access(LINK, POST, "status link"),
    "helpdesk:status-follow-merge": Access(LINK, POST, "status link"),
    "helpdesk:status-personal-data": Access(LINK, POST, "status link"),
    "helpdesk:personal-data-download": Access(LINK, target="personal data link"),
    "helpdesk:status-file": Access(LINK, target="file link"),
    "helpdesk:status-file-thumbnail": Access(LINK, target="file link"),
    "helpdesk:chat-request": Access(LINK, POST, "chat link"),
    "feedback:survey-request": Access(LINK, POST, "survey link"),
    "helpdesk:chat-room": Access(LINK, target="chat link"),
    "helpdesk:chat-poll": Access(LINK, POST, "chat link"),
    "helpdesk:chat-send": Access(LINK, POST, "chat link"),
    "helpdesk:chat-end": Access(LINK, POST, "chat link"),
    # A typing heartbeat of either side: it names no row, only a key the site signed when it drew
    # the page (chat, side, name); without one it is refused (400), so it opens nothing to anyone.
    "helpdesk:chat-typing": Access(PUBLIC, POST),
    # The live pages' push channel: opened with the page's own key.
    "helpdesk:live-chat": Access(LINK, target="chat link"),
    "helpdesk:live-status": Access(LINK, target="status link"),
    "helpdesk:live-lobby": Access(PUBLIC, target="branch"),
    # A stream is no page to sign in from: refused outright.
    "helpdesk:live-staff": Access(
        # A lobby board, which every agent may follow (which queues and chats each agent may
        # follow is tested in tests/helpdesk/live).
        AGENT,
        data={"channel": "lobby:1"},
        answers={"anonymous": "forbidden", "customer": "forbidden"},
    ),
    "feedback:survey": Access(LINK, target="survey link"),
    "feedback:survey-thanks": Access(LINK, target="survey link"),
    "feedback:survey-opt-out": Access(LINK, POST, "survey link"),
    "feedback:survey-unsubscribe": Access(LINK, POST, "survey link"),
    "crisis:subscription-confirm": Access(LINK, target="subscription link"),
    "crisis:unsubscribe": Access(LINK, target="unsubscribe link"),
    # The API: a bearer token, never a signed-in session
    "api:create_ticket": Access(API, POST),
    "api:ticket_detail": Access(API, target="ticket"),
    # Agents
    "helpdesk:agent-home": Access(AGENT),
    "helpdesk:take-next": Access(AGENT, POST),
    "helpdesk:availability": Access(AGENT, POST),
    "helpdesk:bulk-change": Access(AGENT, POST),
    "helpdesk:bulk-progress": Access(AGENT, target="bulk change"),
    "helpdesk:saved-view-save": Access(AGENT, POST, data={"name": "Mine", "query": "q=bill"}),
    # A saved view (the demo manager's) is deleted and shared by its owner only.
    "helpdesk:saved-view-delete": Access(AGENT, POST, "saved view", answers=NOT_THE_OWNERS),
    "helpdesk:saved-view-share": Access(MANAGER, POST, "saved view", answers={"superuser": "not found"}),
    "helpdesk:ticket-detail": Access(AGENT, target="ticket"),
    "helpdesk:notification-retry": Access(AGENT, POST, "notification"),
    "helpdesk:ticket-reply": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-note": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-presence": Access(AGENT, POST, "ticket"),
    "helpdesk:agent-file": Access(AGENT, target="file"),
    "helpdesk:agent-file-thumbnail": Access(AGENT, target="file"),
    "helpdesk:ticket-summary": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-next-step": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-next-step-done": Access(AGENT, POST, "next step"),
    "helpdesk:ticket-status": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-priority": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-assign": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-request-attention": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-merge": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-complaint": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-link": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-tag-add": Access(AGENT, POST, "ticket"),
    "helpdesk:ticket-tag-remove": Access(AGENT, POST, "tag"),
    "helpdesk:ticket-chat-poll": Access(AGENT, POST, "chat ticket"),
    "helpdesk:ticket-chat-join": Access(AGENT, POST, "chat ticket"),
    "helpdesk:ticket-chat-send": Access(AGENT, POST, "chat ticket"),
    "helpdesk:ticket-chat-hold": Access(AGENT, POST, "chat ticket"),
    "helpdesk:ticket-chat-end": Access(AGENT, POST, "chat ticket"),
    "helpdesk:calendars": Access(AGENT),
    "helpdesk:agent-alerts": Access(AGENT),
    "helpdesk:agent-alert-count": Access(AGENT),
    "helpdesk:agent-alerts-read": Access(AGENT, POST),
    # Someone else's notification is left as it is, with the same answer as one already read.
    "helpdesk:agent-alert-read": Access(AGENT, POST, "agent alert"),
    "helpdesk:agent-alert-settings": Access(AGENT),
    "helpdesk:quarantine": Access(AGENT),
    "helpdesk:quarantine-detail": Access(AGENT, target="quarantined mail"),
    "helpdesk:quarantine-convert": Access(AGENT, POST, "quarantined mail"),
    "helpdesk:quarantine-discard": Access(AGENT, POST, "quarantined mail"),
    "helpdesk:call-new": Access(AGENT),
    "helpdesk:call-customer-search": Access(AGENT),
    "helpdesk:customer-detail": Access(AGENT, target="customer"),
    "helpdesk:customer-merge": Access(AGENT, target="customer"),
    "helpdesk:customer-export": Access(MANAGER, target="customer"),
    "helpdesk:customer-erasure-ask": Access(MANAGER, POST, "customer"),
    "helpdesk:customer-erasure-confirm": Access(MANAGER, POST, "erasure request"),
    "helpdesk:customer-erasure-cancel": Access(MANAGER, POST, "erasure request"),
    "helpdesk:customer-preferences": Access(AGENT, POST, "customer"),
    "helpdesk:walk-in": Access(AGENT),
    "helpdesk:walk-in-front-desk": Access(AGENT, target="branch"),
    "helpdesk:walk-in-slip": Access(AGENT, target="visit"),
    "helpdesk:walk-in-recall": Access(AGENT, POST, "visit", answers=AT_SOMEONE_ELSES_DESK),
    "helpdesk:walk-in-no-show": Access(AGENT, POST, "visit", answers=AT_SOMEONE_ELSES_DESK),
    "helpdesk:walk-in-finish": Access(AGENT, POST, "visit", answers=AT_SOMEONE_ELSES_DESK),
    "helpdesk:walk-in-transfer": Access(AGENT, POST, "visit"),
    "helpdesk:walk-in-left": Access(AGENT, POST, "visit"),
    "helpdesk:walk-in-desk": Access(AGENT, target="desk"),
    "helpdesk:walk-in-sit-down": Access(AGENT, POST, "desk"),
    "helpdesk:walk-in-leave": Access(AGENT, POST, "desk"),
    "helpdesk:walk-in-call-next": Access(AGENT, POST, "desk"),
    "feedback:lesson-record": Access(AGENT, POST, "ticket"),
    "feedback:lesson-prompt": Access(AGENT, target="ticket"),
    "feedback:knowledge-base": Access(AGENT),
    "feedback:lessons-recent": Access(AGENT),
    "feedback:lesson-share": Access(AGENT, POST, "lesson"),
    "crisis:incident-list": Access(AGENT),
    "crisis:incident-detail": Access(AGENT, target="incident"),
    "crisis:briefing": Access(AGENT, target="incident"),
    "crisis:briefing-acknowledge": Access(AGENT, POST, "briefing"),
    "crisis:proposal-new": Access(AGENT, target="incident ticket"),
    "crisis:proposal": Access(AGENT, target="proposal"),
    "crisis:proposal-withdraw": Access(AGENT, POST, "proposal"),
    "crisis:proposal-fulfil": Access(AGENT, POST, "proposal"),
    "crisis:link-ticket": Access(AGENT, POST, "incident"),
    "crisis:update-draft": Access(AGENT, target="incident"),
    "crisis:update-detail": Access(AGENT, target="update"),
    # The FAQ's editors
    "helpdesk:faq-manage": Access(FAQ_EDITOR),
    "helpdesk:faq-manage-create": Access(FAQ_EDITOR),
    "helpdesk:faq-manage-category-create": Access(FAQ_EDITOR),
    "helpdesk:faq-manage-category-edit": Access(FAQ_EDITOR, target="faq category"),
    "helpdesk:faq-manage-edit": Access(FAQ_EDITOR, target="faq entry id"),
    "helpdesk:faq-manage-preview": Access(FAQ_EDITOR, target="faq entry id"),
    "helpdesk:faq-manage-publish": Access(FAQ_EDITOR, POST, "faq entry id"),
    "helpdesk:faq-manage-unpublish": Access(FAQ_EDITOR, POST, "faq entry id"),
    # Managers
    "helpdesk:queue-overview": Access(MANAGER),
    "helpdesk:manager-attention": Access(MANAGER),
    "helpdesk:attention-request-resolve": Access(MANAGER, POST, "attention request"),
    "helpdesk:staff": Access(MANAGER),
    "helpdesk:staff-access": Access(MANAGER, target="staff member"),
    "helpdesk:customer-access": Access(MANAGER, target="customer"),
    "helpdesk:staff-add": Access(MANAGER, POST),
    "helpdesk:staff-role": Access(MANAGER, POST, "staff member"),
    "helpdesk:staff-deactivate": Access(MANAGER, POST, "staff member"),
    "helpdesk:staff-reactivate": Access(MANAGER, POST, "staff member"),
    "helpdesk:staff-password-link": Access(MANAGER, POST, "staff member"),
    "helpdesk:tags": Access(MANAGER),
    "helpdesk:tag-rename": Access(MANAGER, target="tag id"),
    "helpdesk:tag-delete": Access(MANAGER, target="tag id"),
    "helpdesk:macros": Access(AGENT),
    "helpdesk:macro-create": Access(MANAGER),
    "helpdesk:macro-edit": Access(MANAGER, target="canned response"),
    "helpdesk:macro-deactivate": Access(MANAGER, POST, "canned response"),
    "helpdesk:macro-reactivate": Access(MANAGER, POST, "canned response"),
    "helpdesk:sign-in-lockouts": Access(MANAGER),
    "helpdesk:sign-in-lockout-lift": Access(MANAGER, POST),
    "helpdesk:integration-list": Access(MANAGER),
    "helpdesk:integration-create": Access(MANAGER, POST),
    "helpdesk:integration-deactivate": Access(MANAGER, POST, "integration"),
    "helpdesk:integration-reactivate": Access(MANAGER, POST, "integration"),
    "helpdesk:directory-manage": Access(MANAGER),
    "helpdesk:directory-channel-edit": Access(MANAGER, target="channel listing"),
    "helpdesk:phone-option-create": Access(MANAGER),
    "helpdesk:phone-option-edit": Access(MANAGER, target="phone option"),
    "helpdesk:phone-option-delete": Access(MANAGER, POST, "phone option"),
    "feedback:theme-list": Access(MANAGER),
    "feedback:theme-detail": Access(MANAGER, target="theme"),
    "feedback:theme-rename": Access(MANAGER, POST, "theme"),
    "feedback:theme-reply-draft": Access(MANAGER, POST, "theme"),
    "feedback:theme-hand-over": Access(MANAGER, POST, "theme"),
    "feedback:merge-proposal-list": Access(MANAGER),
    "feedback:merge-proposal-accept": Access(MANAGER, POST, "merge proposal"),
    "feedback:merge-proposal-decline": Access(MANAGER, POST, "merge proposal"),
    "feedback:theme-reply-approve": Access(MANAGER, POST, "theme answer"),
    "feedback:theme-reply-discard": Access(MANAGER, POST, "theme answer"),
    "feedback:recurring-complaint-list": Access(MANAGER),
    "feedback:recurring-complaint-rule": Access(MANAGER, POST),
    "feedback:recurring-complaint-acknowledge": Access(MANAGER, POST, "recurring complaint"),
    "feedback:recurring-complaint-owner": Access(MANAGER, POST, "recurring complaint"),
    "feedback:recurring-complaint-findings": Access(MANAGER, POST, "recurring complaint"),
    "feedback:dashboard": Access(MANAGER),
    "feedback:chart-csv": Access(MANAGER, target="chart"),
    "feedback:review-list": Access(MANAGER),
    "feedback:survey-reviewed": Access(MANAGER, POST, "survey"),
    "feedback:survey-settings": Access(MANAGER),
    "feedback:survey-settings-edit": Access(MANAGER, target="queue"),
    "feedback:lesson-faq": Access(MANAGER, POST, "lesson"),
    "crisis:incident-declare": Access(MANAGER),
    "crisis:incident-move": Access(MANAGER, POST, "incident"),
    "crisis:subscribers": Access(AGENT, target="incident"),
    "crisis:suggestions": Access(AGENT, target="incident"),
    "crisis:link-bulk": Access(AGENT, POST, "incident"),
    "crisis:update-draft-final": Access(AGENT, target="incident"),
    "crisis:update-approve": Access(MANAGER, POST, "update"),
    "crisis:update-reject": Access(MANAGER, POST, "update"),
    "crisis:update-progress": Access(AGENT, target="update"),
    "crisis:briefing-edit": Access(MANAGER, target="incident"),
    "crisis:policies": Access(AGENT, target="incident"),
    "crisis:policy-edit": Access(MANAGER, target="policy"),
    "crisis:propose-all": Access(AGENT, POST, "incident"),
    "crisis:incident-report": Access(AGENT, target="incident"),
    "crisis:approvals": Access(MANAGER),
    "crisis:decide-in-bulk": Access(MANAGER, POST),
    "crisis:limits": Access(MANAGER),
    "crisis:thresholds": Access(MANAGER),
    "crisis:limit-remove": Access(MANAGER, POST, "grant limit"),
    "crisis:audit": Access(MANAGER),
    "crisis:audit-csv": Access(MANAGER),
    "crisis:proposal-approve": Access(MANAGER, POST, "proposal"),
    "crisis:proposal-reject": Access(MANAGER, POST, "proposal"),
    "crisis:proposal-review": Access(MANAGER, POST, "proposal"),
    # The admin site's own pages (its model pages are in ADMIN_ACCESS)
    "admin:index": Access(ADMIN),
    "admin:app_list": Access(ADMIN, target="admin app"),
    "admin:login": Access(PUBLIC),
    "admin:logout": Access(PUBLIC, POST),
    "admin:password_change": Access(ADMIN),
    "admin:password_change_done": Access(ADMIN),
    # Without a field to complete, the autocomplete refuses everyone who reaches it.
    "admin:autocomplete": Access(ADMIN, answers={"manager": "forbidden", "superuser": "forbidden"}),
    "admin:jsi18n": Access(ADMIN),
    "admin:view_on_site": Access(ADMIN, target="admin object"),
}

# Each model registered in the admin: (who may view its pages, who may add, change or delete).
ADMIN_ACCESS = {
    "auth.user": (SUPERUSERS, SUPERUSERS),
    "auth.group": (SUPERUSERS, SUPERUSERS),
    "django_q.schedule": (SUPERUSERS, SUPERUSERS),
    "django_q.success": (SUPERUSERS, NOBODY),
    "django_q.failure": (SUPERUSERS, NOBODY),
    "django_q.ormq": (SUPERUSERS, NOBODY),
    # Managers may change a colleague's language there; accounts are kept on the staff page.
    "helpdesk.staffprofile": (MANAGERS, SUPERUSERS),
    "helpdesk.workerheartbeat": (MANAGERS, SUPERUSERS),
    "helpdesk.businesscalendar": (MANAGERS, MANAGERS),
    "helpdesk.queue": (MANAGERS, MANAGERS),
    "helpdesk.category": (MANAGERS, MANAGERS),
    "helpdesk.cannedresponse": (MANAGERS, MANAGERS),
    "helpdesk.branch": (MANAGERS, MANAGERS),
    "helpdesk.faqcategory": (MANAGERS, MANAGERS),
    "helpdesk.faqentry": (MANAGERS, MANAGERS),
    "helpdesk.channellisting": (MANAGERS, MANAGERS),
    "helpdesk.phonemenuoption": (MANAGERS, MANAGERS),
    # The crisis records are read in the admin, never written there.
    "crisis.auditentry": (MANAGERS, NOBODY),
    "crisis.briefing": (MANAGERS, NOBODY),
    "crisis.compensationpolicy": (MANAGERS, NOBODY),
    "crisis.compensationproposal": (MANAGERS, NOBODY),
    "crisis.grantlimit": (MANAGERS, NOBODY),
    "crisis.approvalthreshold": (MANAGERS, NOBODY),
    "feedback.surveysettings": (SUPERUSERS, SUPERUSERS),
    "feedback.survey": (SUPERUSERS, SUPERUSERS),
    "feedback.surveyoptout": (SUPERUSERS, SUPERUSERS),
    "feedback.lesson": (SUPERUSERS, SUPERUSERS),
}
VIEW_PAGES = {"changelist", "change", "history"}


def url_names(resolver=None, namespace=""):
    """The full name of every named URL pattern, the way `reverse` knows it."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def admin_page(name: str) -> tuple[str, str] | None:
    """("app.model", page) for a URL name of a model's page in the admin, else None."""
    from django.contrib import admin

    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model._meta.label_lower, name.removeprefix(prefix)
    return None


def test_every_url_pattern_has_an_expected_answer():
    unlisted = []
    for name in url_names():
        page = admin_page(name)
        if page is not None:
            if page[0] not in ADMIN_ACCESS:
                unlisted.append(f"{name} (admin model {page[0]})")
        elif name not in ACCESS:
            unlisted.append(name)
    names = set(url_names())
    stale = sorted(set(ACCESS) - names)
    assert unlisted == [], "new URLs need an entry in ACCESS / ADMIN_ACCESS"
    assert stale == [], "entries for URLs that no longer exist"


class Site:
    """The seeded demo site, the victim's objects every URL names, and the visitors."""

    def __init__(self):
        with override_settings(DEBUG=True):  # seed_demo refuses a production site
            call_command("seed_demo", stdout=io.StringIO())
        from crisis import emails as crisis_emails
        from crisis.models import (
            Briefing,
            CompensationPolicy,
            CompensationProposal,
            GrantLimit,
            Incident,
            IncidentUpdate,
            Subscription,
        )
        from feedback.models import Lesson, RecurringComplaint, Survey, Theme, ThemeMergeProposal, ThemeReply
        from helpdesk.models import (
            AgentAlert,
            ApiIntegration,
            Branch,
            BulkChange,
            CannedResponse,
            ChannelListing,
            Chat,
            Desk,
            FaqCategory,
            FaqEntry,
            InboundEmail,
            NextStep,
            Notification,
            PhoneMenuOption,
            Queue,
            SavedView,
            Tag,
            Ticket,
            Visit,
        )
        from helpdesk.personal_data import links as personal_data_links

        users = get_user_model().objects
        self.agent = users.get(username="agent")
        self.manager = users.get(username="manager")
        self.staff_in_no_group = users.create_user("former", "former@helpdesk.example", is_staff=True)
        self.superuser = users.create_superuser("root", "root@helpdesk.example", "root-pass-123")

        self.ticket = (
            Ticket.objects.open().filter(customer__email__contains="@").exclude(channel="chat").first()
        )
        # The customer persona holds a link of another person's request.
        self.own_ticket = (
            Ticket.objects.exclude(customer=self.ticket.customer).exclude(channel="chat").first()
        )
        incident = Incident.objects.first()
        chat = Chat.objects.select_related("ticket").first()
        self.victim_marks = [self.ticket.customer.email, self.ticket.reference]
        status_token = self.ticket.draw_status_link()
        attachment = _attachment(self.ticket)
        first = {
            "ticket": {"reference": self.ticket.reference},
            "chat ticket": {"reference": chat.ticket.reference},
            "incident ticket": {"reference": _linked_ticket(incident).reference},
            "status link": {"token": status_token},
            # The customer persona's own link with the victim's file: not found.
            "file link": {"token": status_token, "pk": attachment.pk},
            "file": {"pk": attachment.pk},
            "chat link": {"token": _chat_link(chat)},
            "survey link": {"token": Survey.objects.first().draw_link()},
            "subscription link": {"token": _subscription(Subscription, incident).token},
            "unsubscribe link": {
                "token": crisis_emails.unsubscribe_token(incident.pk, "subscriber@example.hu")
            },
            "notification": {
                "reference": self.ticket.reference,
                "pk": _notification(Notification, self.ticket),
            },
            "next step": {"reference": self.ticket.reference, "pk": _next_step(NextStep, self.ticket)},
            "tag": {"reference": self.ticket.reference, "pk": self.ticket.add_tag("matrix", by=None).pk},
            "tag id": {"pk": Tag.objects.get_or_create(name="managed")[0].pk},
            "canned response": {
                "pk": CannedResponse.objects.create(title="Thanks", language="en", body="Thank you.").pk
            },
            "faq entry": {"slug": FaqEntry.objects.filter(is_published=True).first().slug},
            "faq entry id": {"pk": FaqEntry.objects.first().pk},
            "faq category": {"pk": FaqCategory.objects.first().pk},
            "branch": {"slug": Branch.objects.first().slug},
            "visit": {"pk": Visit.objects.first().pk},
            "desk": {"pk": Desk.objects.first().pk},
            "quarantined mail": {"pk": _quarantined(InboundEmail).pk},
            "agent alert": {
                "pk": AgentAlert.objects.create(recipient=self.agent, kind="assigned", ticket=self.ticket).pk
            },
            "attention request": {"pk": _attention_request(self.ticket, self.agent)},
            "integration": {"pk": ApiIntegration.objects.create_with_token(name="Shop")[0].pk},
            "channel listing": {"pk": ChannelListing.objects.first().pk},
            "phone option": {"pk": PhoneMenuOption.objects.first().pk},
            "theme": {"pk": _theme(Theme).pk},
            "theme answer": {"pk": _theme_reply(ThemeReply, Theme, self.manager)},
            "recurring complaint": {"pk": _recurring_complaint(RecurringComplaint, Theme, self.manager)},
            "merge proposal": {"pk": _merge_proposal(ThemeMergeProposal, Theme)},
            "survey": {"pk": Survey.objects.first().pk},
            "lesson": {"pk": Lesson.objects.first().pk},
            "queue": {"queue_pk": Queue.objects.first().pk},
            "chart": {"key": _chart_key()},
            "incident": {"pk": incident.pk},
            "briefing": {"pk": Briefing.objects.filter(incident=incident).first().pk},
            "update": {
                "pk": IncidentUpdate.draft(
                    incident,
                    by=self.agent,
                    texts={"en": "We are on it.", "hu": "Dolgozunk rajta.", "pl": "Pracujemy nad tym."},
                ).pk
            },
            "policy": {
                "pk": incident.pk,
                "policy_pk": CompensationPolicy.objects.filter(incident=incident).first().pk,
            },
            "proposal": {"pk": CompensationProposal.objects.first().pk},
            "grant limit": {"pk": GrantLimit.objects.first().pk},
            "admin app": {"app_label": "helpdesk"},
            "staff member": {"pk": self.agent.pk},
            "customer": {"pk": self.ticket.customer_id},
            "personal data link": {"token": personal_data_links.signed_token(self.ticket.customer)},
            # Of a customer of its own: a confirmation erases them.
            "erasure request": {"pk": _erasure_request(self.manager).pk},
            "password link": {"uidb64": "MQ", "token": "not-a-token"},
            "saved view": {"pk": SavedView.objects.create(name="Open", owner=self.manager, query="").pk},
            "bulk change": {
                "pk": BulkChange.objects.create(kind="status", value="closed", requested_by=self.agent).pk
            },
        }
        self.arguments = first

    def client_for(self, persona: str) -> Client:
        client = Client()
        user = {
            "agent": self.agent,
            "manager": self.manager,
            "staff_in_no_group": self.staff_in_no_group,
            "superuser": self.superuser,
        }.get(persona)
        if user is not None:
            client.force_login(user, backend="helpdesk.staff_backend.StaffBackend")
        return client

    def url_arguments(self, persona: str, access: Access) -> dict:
        arguments = dict(self.arguments.get(access.target, {}))
        if persona == "customer" and "token" in arguments:
            # The customer's own status link, wherever the URL wants a token.
            arguments["token"] = self.own_ticket.status_link_token()
        return arguments

    def expected(self, persona: str, access: Access) -> str:
        if access.answers and persona in access.answers:
            return access.answers[persona]
        if persona == "customer" and access.level == LINK and access.target != "status link":
            return "not found"  # a status link opens no chat, survey or subscription
        return EXPECTED[access.level][persona]


def _erasure_request(manager):
    from helpdesk.models import Customer, ErasureRequest

    return ErasureRequest.ask(Customer.objects.create(name="Erasure Matrix"), by=manager)


def _attachment(ticket):
    """A picture with its thumbnail on the customer's first message, in the test's own folder."""
    from django.core.files.base import ContentFile

    from helpdesk.models import Attachment
    from tests.helpdesk.files.conftest import picture

    content = picture((40, 40))
    attachment = Attachment(
        entry=ticket.entries.filter(kind="message", is_public=True).first(),
        filename="meter.png",
        content_type="image/png",
        size=len(content),
    )
    attachment.file.save("meter.png", ContentFile(content), save=False)
    attachment.thumbnail.save("meter.png", ContentFile(content), save=False)
    attachment.save()
    return attachment


def _linked_ticket(incident):
    return incident.ticket_links.select_related("ticket").first().ticket


def _chat_link(chat):
    """A link to the demo chat: only hashes are stored, so the test draws a token of its own."""
    from helpdesk.references import hash_token, new_status_token

    token = new_status_token()
    type(chat).objects.filter(pk=chat.pk).update(token_hash=hash_token(token))
    return token


def _subscription(subscription_model, incident):
    return subscription_model.request(incident, email="subscriber@example.hu", language="hu")


def _notification(notification_model, ticket):
    notification = notification_model.objects.filter(ticket=ticket).first()
    if notification is None:
        notification = notification_model.objects.create(
            ticket=ticket,
            customer=ticket.customer,
            kind="acknowledgement",
            to_email=ticket.customer.email,
            language="en",
        )
    return notification.pk


def _next_step(next_step_model, ticket):
    from django.utils import timezone

    return ticket.add_next_step(by=None, description="Call back", due_on=timezone.localdate()).pk


def _quarantined(inbound_model):
    return inbound_model.objects.create(
        dedupe_key="matrix-1",
        source="test",
        raw=b"Subject: ?\r\n\r\n?",
        outcome=inbound_model.Outcome.QUARANTINED,
        review=inbound_model.Review.PENDING,
        reason="no sender",
    )


def _attention_request(ticket, agent):
    return ticket.request_attention(by=agent, reason="The customer asks for a supervisor.").pk


def _theme(theme_model):
    from feedback.themes import complaints
    from helpdesk.models import Ticket

    for ticket_id in Ticket.objects.filter(is_complaint=True).values_list("pk", flat=True):
        complaints.group_complaint(ticket_id)
    return theme_model.objects.first()


def _theme_reply(reply_model, theme_model, manager):
    return reply_model.objects.create(
        theme=_theme(theme_model), language="hu", body="Köszönjük.", drafted_by=manager
    ).pk


def _recurring_complaint(recurring_complaint_model, theme_model, manager):
    theme = _theme(theme_model)
    return (
        recurring_complaint_model.objects.filter(theme=theme).first()
        or recurring_complaint_model.raise_for(theme)
    ).pk


def _merge_proposal(proposal_model, theme_model):
    kept = _theme(theme_model)
    absorbed = theme_model.objects.exclude(pk=kept.pk).first() or theme_model.objects.create(title="Matrix")
    return proposal_model.objects.create(kept=kept, absorbed=absorbed, similarity=0.9).pk


def _chart_key():
    from feedback.dashboard.charts import CHARTS

    return next(iter(CHARTS))


def answer_kind(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith("/accounts/login/"):
        return "login"
    if response.status_code == 302 and location.startswith("/admin/login/"):
        return "admin login"
    return {401: "unauthorized", 403: "forbidden", 404: "not found", 405: "wrong method"}.get(
        response.status_code, "error" if response.status_code >= 500 else "ok"
    )


def requests_to_make(site):
    """(name, url, access) of every URL, with the demo objects as arguments."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from helpdesk.models import FaqCategory

    for name in url_names():
        page = admin_page(name)
        if page is not None:
            label, page_name = page
            model = ContentType.objects.get_by_natural_key(*label.split(".")).model_class()
            obj = model.objects.first()
            if page_name in {"changelist", "add"}:
                arguments = {}
            elif obj is None:
                continue  # nothing of this kind in the demo to open
            else:
                arguments = {"id" if page_name == "password_change" else "object_id": obj.pk}
            viewers, writers = ADMIN_ACCESS[label]
            allowed = viewers if page_name in VIEW_PAGES else writers
            yield name, reverse(name, kwargs=arguments), Access(ADMIN, answers=admin_model_answers(allowed))
            continue
        access = ACCESS[name]
        if name == "admin:view_on_site":
            category = FaqCategory.objects.first()
            kwargs = {
                "content_type_id": ContentType.objects.get_for_model(category).pk,
                "object_id": category.pk,
            }
            yield name, reverse(name, kwargs=kwargs), access
            continue
        yield name, None, access


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded site, built once for the six personas in a transaction rolled back at the end;
    each persona's test runs in a savepoint inside it, and each of its requests in another."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        ),
        transaction.atomic(),
    ):
        yield Site()
        transaction.set_rollback(True)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_answer_its_role_allows_on_every_url(persona, settings, site):
    from django.urls import reverse

    settings.DEBUG = False
    settings.LIVE_STREAM_MAX_SECONDS = 0  # the live pages' streams end at once: each answer is read whole
    client = site.client_for(persona)
    wrong = []
    for name, url, access in requests_to_make(site):
        url = url or reverse(name, kwargs=site.url_arguments(persona, access))
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            response = getattr(client, access.method)(url, access.data or {})
            transaction.set_rollback(True)
        client.cookies = cookies  # signing out or switching language lasts one request only
        got, expected = answer_kind(response), site.expected(persona, access)
        if got != expected:
            wrong.append(
                f"{access.method.upper()} {url} ({name}): {got} ({response.status_code}), expected {expected}"
            )
        elif persona == "customer" and got == "ok":
            content = b"".join(response.streaming_content) if response.streaming else response.content
            body = content.decode(errors="replace")
            seen = [mark for mark in site.victim_marks if mark in body]
            if seen:
                wrong.append(f"{url} ({name}) shows another person's {seen}")
    assert not wrong, "\n".join(wrong)
