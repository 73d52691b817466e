"""A form sent with a missing or stale security token: the site's own 403 page, translated.

Django's own page is bare and English only; a customer meets it when a form stayed open for
a long time, or cookies were cleared, so it says what to do next in their language."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
