"""Customer pages meet WCAG 2.1 AA as far as axe-core can tell, in every language."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_home_page_is_accessible(page_in, assert_accessible, language):
    page = page_in(language)
    page.goto("/")

    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "heading"), [("hu", "Ezt az oldalt nem találjuk."), ("pl", "Nie możemy znaleźć tej strony.")]
)
def test_the_not_found_page_has_the_layout_and_is_accessible(page_in, assert_accessible, language, heading):
    page = page_in(language)
    response = page.goto("/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_role("navigation").count() >= 1
    assert_accessible(page)


def test_an_inaccessible_page_is_reported(page_in):
    from tests.browser.conftest import accessibility_violations

    page = page_in("en")
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')

    assert any(v.startswith("image-alt") for v in accessibility_violations(page))
