"""Django's CSRF protection, also accepting "Origin: null" from our own pages.

Status pages carry a secret in their address, so they send `Referrer-Policy: no-referrer`: the
link must never leak to another site through a Referer header. With that policy Chromium sends
`Origin: null` on the page's own form submissions (confirm the summary, reply, close), and
Django's check refuses a null origin, which it cannot tell apart from a sandboxed frame or a
cross-site redirect.

The browser says where a request comes from in its Fetch Metadata: `Sec-Fetch-Site:
same-origin` means the page that sent it was served from this very origin. Scripts cannot set
`Sec-*` headers (they are forbidden header names), so another site cannot forge it through a
visitor's browser. We accept a null Origin only together with that header; every other case,
and the token check that follows, are Django's own.
"""

from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrfViewMiddleware


class CsrfViewMiddleware(DjangoCsrfViewMiddleware):
    def _origin_verified(self, request) -> bool:
        if (
            request.META.get("HTTP_ORIGIN") == "null"
            and request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        ):
            return True
        return super()._origin_verified(request)
