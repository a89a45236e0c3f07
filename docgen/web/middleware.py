"""Every request: anonymous visitors reach only the login and verification pages;
cookies are Secure whenever the request came over HTTPS; a strict CSP."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

PUBLIC = ("/masuk/", "/v/", "/static/", "/favicon.ico")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-src 'self'; object-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")


class Keamanan:
    """After authentication: anonymous visitors go to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PUBLIC) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class Kuki:
    """Outermost: sees the cookies the session and CSRF middleware set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure():
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["secure"] = True
        response.headers.setdefault("Content-Security-Policy", CSP)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
