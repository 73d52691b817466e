"""includes/pagination.html: every paged list links its pages the same way, keeping its filters."""

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def get(path, data=None):
    request = RequestFactory().get(path, data)
    request.user = AnonymousUser()
    return request


def test_page_links_keep_the_lists_filters_and_replace_the_page():
    request = get("/manage/themes/", {"q": "számla", "by": "week", "page": "2"})
    page = Paginator(range(30), 10).get_page(2)

    html = render_to_string("includes/pagination.html", {"page": page}, request=request)

    assert 'href="?q=sz%C3%A1mla&amp;by=week&amp;page=1"' in html
    assert 'href="?q=sz%C3%A1mla&amp;by=week&amp;page=3"' in html
    assert "Page 2 of 3" in html


def test_a_single_page_has_no_links():
    request = get("/manage/themes/")

    html = render_to_string(
        "includes/pagination.html", {"page": Paginator(range(3), 10).get_page(1)}, request=request
    )

    assert "pagination" not in html
