"""The record of who looked at personal data, for managers: for one customer, by one staff member."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from helpdesk.models import Customer
from helpdesk.pagination import CountedWithThePage
from helpdesk.personal_data.access import record_by_staff, record_for_customer
from helpdesk.roles import manager_required
from helpdesk.staff_accounts import staff_members

PER_PAGE = 50


@manager_required
@require_GET
def customer_access(request, pk):
    """Who opened this customer's page or requests, newest first."""
    customer = get_object_or_404(Customer, pk=pk)
    page = CountedWithThePage(record_for_customer(customer), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "helpdesk/access_record.html", {"page": page, "customer": customer})


@manager_required
@require_GET
def staff_access(request, pk):
    """What this staff member opened, searched and exported, newest first."""
    member = get_object_or_404(staff_members(), pk=pk)
    page = CountedWithThePage(record_by_staff(member), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "helpdesk/access_record.html", {"page": page, "member": member})
