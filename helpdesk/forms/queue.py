from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Column, Field, Row
from django import forms
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _

from helpdesk.forms.fields import ModelChoiceField
from helpdesk.forms.layout import fields_only
from helpdesk.models import Category, Channel, Customer, Language, Ticket, TicketEntry
from helpdesk.models.customer import phone_digits
from helpdesk.models.tags import TAG_MAX_LENGTH, normalise_tag
from helpdesk.references import normalise_reference
from helpdesk.text_folding import Fold, fold

OPEN_STATUSES = [Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING]
BREAK_MINUTES = [5, 10, 15]


class QueueFilterForm(forms.Form):
    """The filters and search of the agent's queue page (GET); every field is optional."""

    CHOICE_FIELDS = ["queue", "channel", "category", "language", "assigned"]
    ASSIGNED_CHOICES = [("", _("Anyone or no one")), ("me", _("Assigned to me")), ("none", _("Unassigned"))]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Reference, customer, phone or text")}
        ),
    )
    queue = forms.TypedChoiceField(label=_("Queue"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=Ticket.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked shows the open ones: new, open and waiting."),
    )
    category = ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Any category"),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    assigned = forms.ChoiceField(label=_("Assigned"), required=False, choices=ASSIGNED_CHOICES)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=TAG_MAX_LENGTH)

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = [("", _("All my queues")), *((q.pk, q.name) for q in queues)]
        self.fields["channel"].choices = [("", _("Any channel")), *Channel.choices]
        self.fields["language"].choices = [("", _("Any language")), *Language.choices]
        self.helper = fields_only(
            Row(
                Column("q", css_class="col-md-4"),
                *(
                    Column(Field(name, css_class="form-select-sm"), css_class="col-6 col-md")
                    for name in self.CHOICE_FIELDS
                ),
                Column(Field("tag", css_class="form-control-sm"), css_class="col-6 col-md"),
                css_class="g-2 align-items-end",
            ),
            InlineCheckboxes("status"),
            label_class="small",
            show_errors=False,  # the page says once that some filters were left out
        )

    @property
    def is_searching(self) -> bool:
        """Whether the agent typed something to search for (after filter() has cleaned it)."""
        return bool(getattr(self, "cleaned_data", {}).get("q", "").strip())

    def filter(self, tickets, *, agent, per_ticket: bool = False):
        """The tickets matching the valid filters; a filter with an error is left out.

        `per_ticket` checks the searched text ticket by ticket (see `matching`)."""
        tickets = self.filter_besides_text(tickets, agent=agent)
        if text := self.searched_text:
            tickets = tickets.filter(matching(text, per_ticket=per_ticket))
        return tickets

    @property
    def searched_text(self) -> str:
        """The text searched for, its spaces tidied ("" when none; after filter() has cleaned it)."""
        return " ".join(getattr(self, "cleaned_data", {}).get("q", "").split())

    def filter_besides_text(self, tickets, *, agent):
        """The tickets matching the valid filters other than the searched text."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = self.cleaned_data if self.is_bound else {}
        tickets = tickets.filter(status__one_of=data.get("status") or OPEN_STATUSES)
        for name in ("queue", "channel", "category", "language"):
            if data.get(name):
                tickets = tickets.filter(**{name: data[name]})
        if data.get("assigned") == "me":
            tickets = tickets.filter(assignee=agent)
        elif data.get("assigned") == "none":
            tickets = tickets.filter(assignee__isnull=True)
        if tag := normalise_tag(data.get("tag", "")):
            tickets = tickets.filter(tags__name=tag)
        return tickets


def matching(text: str, *, per_ticket: bool = False) -> Q:
    """A ticket found by its reference, its customer (name, email, phone) or its text, with or
    without accents and in any case: the text is folded once here and compared with the folded
    copies the database keeps of subjects and customers' names and addresses, and with the
    messages folded through their trigram index.

    PostgreSQL may check the customer condition by first collecting every matching customer (a
    surname one customer in nine bears: 7,540 at 100,000 tickets), which suits a walk over all
    the candidates. `per_ticket` reads each ticket's customer by primary key instead, which suits
    a walk in queue order that stops after a page of rows among many matches
    (helpdesk.pagination.CappedSearch)."""
    folded = fold(text)
    if per_ticket:
        # Customer.search_condition's rule, on the ticket's own customer read by primary key.
        own = Customer.objects.filter(pk=OuterRef("customer_id"))
        customer = Q(Contains(Subquery(own.values("search_text")[:1]), folded))
        if len(digits := phone_digits(text)) >= 3:
            customer |= Q(Contains(Subquery(own.values("phone")[:1]), digits))
    else:
        # The customer is checked per ticket (a primary-key lookup) rather than by collecting every
        # matching customer first: the filters leave a few hundred tickets to check, while the
        # customers, and those sharing a common surname, grow with the years.
        customer = Q(
            Exists(
                Customer.objects.filter(Customer.objects.search_condition(text), pk=OuterRef("customer_id"))
            )
        )
    found = Q(folded_subject__contains=folded) | customer
    if reference := normalise_reference(text):
        found |= Q(reference=reference)
    written = TicketEntry.objects.filter(
        kind__in=[TicketEntry.Kind.MESSAGE, TicketEntry.Kind.REPLY, TicketEntry.Kind.NOTE],
    ).filter(Contains(Fold("body"), folded))
    if per_ticket:
        # The tickets whose messages match, collected once through the bodies' trigram index:
        # checked per ticket, each candidate's messages were folded again (20 µs a ticket).
        return found | Q(pk__in=written.values("ticket_id"))
    return found | Q(Exists(written.filter(ticket=OuterRef("pk"))))


class AvailabilityForm(forms.Form):
    """An agent says whether take-next may give them a ticket now."""

    availability = forms.ChoiceField(
        choices=[("available", _("Available")), ("break", _("Short break")), ("away", _("Away"))]
    )
    minutes = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[(m, m) for m in BREAK_MINUTES]
    )

    def clean(self):
        data = super().clean()
        if data.get("availability") == "break" and not data.get("minutes"):
            raise forms.ValidationError(_("Choose how long the break is: 5, 10 or 15 minutes."))
        return data

    def apply(self, profile) -> None:
        choice = self.cleaned_data["availability"]
        if choice == "break":
            profile.take_break(self.cleaned_data["minutes"])
        elif choice == "away":
            profile.set_away()
        else:
            profile.set_available()
