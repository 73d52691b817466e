"""What the helpdesk's customer panel and page say about surveys (helpdesk.hooks.CUSTOMER_FACTS):
whether the customer opted out of them, and when. One query."""

from django.utils import formats, timezone
from django.utils.translation import gettext

from feedback.models import SurveyOptOut
from helpdesk.hooks import CustomerFact


def survey_opt_out(customer) -> list[CustomerFact]:
    opted_out_at = (
        SurveyOptOut.objects.filter(customer_id=customer.pk).values_list("opted_out_at", flat=True).first()
    )
    if opted_out_at is None:
        return [CustomerFact(gettext("Surveys"), gettext("receives follow-up surveys"))]
    day = formats.date_format(timezone.localtime(opted_out_at), "SHORT_DATE_FORMAT")
    return [CustomerFact(gettext("Surveys"), gettext("opted out on %(day)s") % {"day": day}, "warning")]
