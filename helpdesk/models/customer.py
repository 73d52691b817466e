from __future__ import annotations

import re

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpdesk.languages import Language
from helpdesk.models.errors import InvalidTransition
from helpdesk.text_folding import Fold, fold

# Numbers written without a country code are read as Hungarian; "+48…" and "0048…" work for Poland.
DEFAULT_PHONE_REGION = "HU"


def normalise_phone(raw: str) -> str:
    """E.164 form ("+36301234567"), or "" for something that is not a phone number."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits(text: str) -> str:
    """The digits of a (partial) number as they appear in the stored E.164 form.

    "06 30 123" and "0036 30 123" both become "3630123", matching "+36301234567".
    """
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("06"):
        return "36" + digits[2:]
    return digits


class CustomerQuerySet(models.QuerySet):
    def matching(self, *, email: str = "", phone: str = "", phone_verified: bool):
        """Customers known by this email (any case) or, when the phone is verified, this number.

        A phone number is verified only where an agent hears or sees the person (a call, the
        front desk); a number typed on a public form or sent by another system finds nobody.
        """
        email = (email or "").strip()
        if email:
            by_email = self.filter(email__iexact=email)
            if by_email.exists() or not phone_verified:
                return by_email
        phone = normalise_phone(phone) if phone_verified else ""
        return self.filter(phone=phone) if phone else self.none()

    def find_or_create(
        self, *, name: str = "", email: str = "", phone: str = "", language: str = "en", verified: bool
    ) -> tuple[Customer, bool]:
        """The customer these details identify, created when new; returns (customer, created).

        `verified`: an agent took the details from the person (a call, the front desk). Then a
        phone number finds its customer, and a known customer's missing details are filled in.
        Otherwise (a web form, an email, the API, a chat) the details are the sender's claim:
        only the email address finds a customer (what we send goes to that address), and
        nothing the sender typed changes that customer's record.
        """
        customer = self.matching(email=email, phone=phone, phone_verified=verified).first()
        if customer is None:
            customer, created = self._create_once(name=name, email=email, phone=phone, language=language)
            if created:
                return customer, True
        if verified:
            customer.learn(name=name, email=email, phone=phone)
        return customer, False

    def _create_once(self, *, name: str, email: str, phone: str, language: str) -> tuple[Customer, bool]:
        """Create the customer; when the same address was created at the same moment by another
        request (a double submit, a burst of orders), that customer instead."""
        email = email.strip()
        fields = {"name": name.strip(), "email": email, "phone": normalise_phone(phone), "language": language}
        if not email:
            return self.create(**fields), True
        try:
            # A savepoint: on PostgreSQL the caller's transaction must survive the conflict.
            with transaction.atomic():
                return self.create(**fields), True
        except IntegrityError:
            # Read back by the unique index's own expression, so what conflicted is found.
            existing = self.alias(address=Lower("email")).filter(address=Lower(models.Value(email))).first()
            if existing is None:
                raise
            return existing, False

    def search(self, text: str):
        """Customers whose name, email or phone number contains the text (a live search), with or
        without accents, in any case."""
        text = " ".join((text or "").split())
        if not text:
            return self.none()
        return self.filter(self.search_condition(text))

    @staticmethod
    def search_condition(text: str) -> models.Q:
        """The condition of `search`: name, email or phone number contains the text.

        Names and addresses are compared folded ("adam" finds "Ádám"; helpdesk.text_folding):
        the text folded here against the folded copy the database keeps (`search_text`, with its
        trigram index on PostgreSQL). A phone number is compared by its digits as stored in
        E.164 ("06 30 123", "+36 30 123" and "30/123" all find "+36301234567").
        """
        found = models.Q(search_text__contains=fold(text))
        digits = phone_digits(text)
        if len(digits) >= 3:
            found |= models.Q(phone__contains=digits)
        return found

    def with_open_ticket_count(self):
        from helpdesk.models.ticket import Ticket

        return self.annotate(
            open_ticket_count=models.Count(
                "tickets",
                filter=~models.Q(tickets__status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED]),
            )
        )


class Customer(models.Model):
    """Someone who asks us for help. No account: identified by email and/or phone (or, at a
    branch desk, known only by name)."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    language = models.CharField(_("preferred language"), max_length=8, choices=Language, default=Language.EN)
    created_at = models.DateTimeField(_("first contact"), auto_now_add=True)
    # The team's note about the person (how they like to be addressed, what was agreed), with who
    # wrote its current text and when. Agents only: never shown to the customer.
    note = models.TextField(_("note about the customer"), blank=True)
    note_updated_at = models.DateTimeField(null=True, blank=True)
    note_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the person's personal data was erased (helpdesk.personal_data.erasure): the row stays,
    # since their requests and the books refer to it, but it holds nothing that names them.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    # Name and address folded (helpdesk.text_folding), kept by the database on every write (a
    # merge, a detail learnt, a bulk insert): the search compares the folded text it is given with
    # this column and its trigram index (migration 0045), instead of folding every customer's
    # name and address in each query. The line break keeps a match from spanning both.
    search_text = models.GeneratedField(
        expression=Fold(Concat("name", models.Value("\n"), "email", output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="customer_email_unique_any_case"
            ),
            # A walk-in visitor may give only their name: we serve them in person. An erased
            # customer has none of the three.
            models.CheckConstraint(
                condition=~models.Q(email="", phone="", name="") | models.Q(erased_at__isnull=False),
                name="customer_has_contact_or_name",
            ),
        ]
        indexes = [models.Index(Lower("name"), name="customer_name_lower")]

    def __str__(self):
        # An erased customer has none of the three: only then is `erased_at` read (lists select
        # it too, so a nameless customer in a list costs no query of its own).
        if self.name or self.email or self.phone:
            return self.name or self.email or self.phone
        if self.erased_at is not None:
            return gettext("erased customer #%(number)s") % {"number": self.pk}
        return ""

    @property
    def display_name(self) -> str:
        return str(self)

    def set_language(self, language: str) -> bool:
        """The language of our messages, as the customer asked; True when it changed."""
        changed = type(self).objects.filter(pk=self.pk).exclude(language=language).update(language=language)
        self.language = language
        return bool(changed)

    def learn(self, *, name: str = "", email: str = "", phone: str = "") -> None:
        """Fill in details we did not know yet; never overwrite what the customer told us before."""
        changed = []
        if name.strip() and not self.name:
            self.name = name.strip()
            changed.append("name")
        if email.strip() and not self.email:
            self.email = email.strip()
            changed.append("email")
        phone = normalise_phone(phone)
        if phone and not self.phone:
            self.phone = phone
            changed.append("phone")
        if changed:
            self.save(update_fields=changed)

    def write_note(self, text: str, *, by, seen_at) -> None:
        """Replace the team's note, if nobody changed it since the writer opened it (`seen_at`,
        the note's time then): a colleague's newer text is never overwritten unseen."""
        now = timezone.now()
        changed = (
            type(self)
            .objects.filter(pk=self.pk, note_updated_at=seen_at)
            .update(note=text.strip(), note_updated_at=now, note_updated_by=by)
        )
        if not changed:
            raise InvalidTransition(
                _("A colleague changed the note while you were writing. Read theirs, then save yours again.")
            )
        self.note, self.note_updated_at, self.note_updated_by = text.strip(), now, by

    def _take_note_of(self, duplicate: Customer, *, by) -> None:
        """The duplicate's note follows its requests, after this record's own (the merging agent
        is then the note's last writer)."""
        if duplicate.note:
            self.note = "\n\n".join(filter(None, [self.note, duplicate.note]))
            self.note_updated_at, self.note_updated_by = timezone.now(), by
            self.save(update_fields=["note", "note_updated_at", "note_updated_by"])

    def describe(self) -> str:
        """Every detail on record, for the timeline of a merge: "Nagy István · +36301112233"."""
        return " · ".join(filter(None, [self.name, self.email, self.phone])) or f"#{self.pk}"

    def merge_in(self, duplicate: Customer, *, by) -> list[str]:
        """An agent found that `duplicate` is this same person: its requests (and everything
        else that was theirs) move here, details this record lacks are taken over, and the
        duplicate is deleted. Recorded on the timeline of every request of both; returns the
        references of the requests that moved.
        """
        from helpdesk.models.timeline import TicketEntry

        if duplicate.pk == self.pk:
            raise InvalidTransition(_("A customer cannot be merged with themselves."))
        with transaction.atomic():
            # Both rows locked: two agents merging at once make one merge, the other is told.
            locked = {
                c.pk: c for c in type(self).objects.select_for_update().filter(pk__in=[self.pk, duplicate.pk])
            }
            if len(locked) < 2:
                raise InvalidTransition(_("This customer has already been merged with another one."))
            self.refresh_from_db()
            duplicate, before = locked[duplicate.pk], self.describe()
            self._check_neither_erased_nor_waiting(duplicate)
            moved = list(duplicate.tickets.order_by("created_at").values_list("reference", flat=True))
            # Every row of every app that points at a customer (tickets, messages, surveys,
            # crisis updates) follows, so deleting the duplicate takes nothing with it.
            for relation in type(self)._meta.related_objects:
                field = relation.field.name
                relation.related_model._base_manager.filter(**{field: duplicate}).update(**{field: self})
            data = {"from": duplicate.describe(), "into": before, "tickets": moved}
            duplicate.delete()
            self.learn(name=duplicate.name, email=duplicate.email, phone=duplicate.phone)
            self._take_note_of(duplicate, by=by)
            for ticket in self.tickets.all():
                ticket.record_event(TicketEntry.Event.CUSTOMER_MERGED, by=by, data=data, public=False)
        return moved

    def _check_neither_erased_nor_waiting(self, duplicate: Customer) -> None:
        """An erased record takes in nobody's details, and an erasure waiting for a second manager
        must erase the person it was asked for, no more."""
        if self.erased_at or duplicate.erased_at:
            raise InvalidTransition(_("An erased customer cannot be merged with another one."))
        waiting = type(self).objects.filter(pk__in=[self.pk, duplicate.pk], erasure_requests__state="pending")
        if waiting.exists():
            raise InvalidTransition(
                _(
                    "An erasure of one of these customers is waiting for a second manager: "
                    "confirm or cancel it first."
                )
            )

    def _naming_texts(self) -> list[str]:
        """What a colleague may have typed to find this person: each part of the name (a
        surname alone), the address, the number as stored and as its digits."""
        parts = [part for part in self.name.replace("-", " ").split() if len(part) >= 3]
        digits = "".join(character for character in self.phone if character.isdigit())
        return [text for text in (*parts, self.name, self.email, self.phone, digits[-9:]) if text]

    def erase(self) -> dict[str, int]:
        """Remove every piece of personal data the helpdesk holds about this person, keeping the
        rows the business must keep (requests with their times, the books) without the person.

        Erasing again is harmless. Other apps' parts are erased first, by
        helpdesk.personal_data.erasure, which calls this in the same transaction."""
        from helpdesk.models.access_record import AccessRecord
        from helpdesk.models.inbound import InboundEmail
        from helpdesk.models.notification import Notification

        counts = {"requests": 0, "files": 0}
        with transaction.atomic():
            type(self).objects.select_for_update().filter(pk=self.pk).first()
            for ticket in self.tickets.all():
                counts["files"] += ticket.erase_personal_data()
                counts["requests"] += 1
            sent_to = models.Q(customer=self) | models.Q(ticket__customer=self)
            received_from = models.Q(ticket__customer=self)
            if self.email:
                sent_to |= models.Q(to_email__iexact=self.email)
                received_from |= models.Q(from_address__iexact=self.email)
            counts["emails sent"] = Notification.objects.filter(sent_to).erase_personal_data()
            counts["emails received"] = InboundEmail.objects.filter(received_from).erase_personal_data()
            counts["searches"] = AccessRecord.objects.forget_details_naming(self, self._naming_texts())
            self.preference_changes.exclude(request="").update(request="")
            self.name = self.email = self.phone = self.note = ""
            self.erased_at = self.erased_at or timezone.now()
            self.save(update_fields=["name", "email", "phone", "note", "erased_at"])
        return counts
